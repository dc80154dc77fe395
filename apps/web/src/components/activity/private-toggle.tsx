"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useT } from "~/i18n/i18n-provider";
import { useTRPC } from "~/trpc/react";
import type { GenerationItem } from "./generation-types";

/** Private / shared in the gallery: one checkbox, in the card and in the viewer. */
export function PrivateToggle({
  generation: g,
  onError,
}: {
  generation: GenerationItem;
  onError: (message: string) => void;
}) {
  const { t } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [privateChoice, setPrivateChoice] = useState<boolean | null>(null);
  const setPrivate = useMutation(
    trpc.generation.setPrivate.mutationOptions({
      onError: (failure) => onError(failure.message),
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.generation.pathKey() }),
    }),
  );
  const finished = g.status === "succeeded";
  return (
    <label className="checkbox private-toggle">
      <input
        type="checkbox"
        // Shows the choice at once (a controlled checkbox would otherwise snap back until the
        // server answers); the server's answer and the stream then confirm it.
        checked={privateChoice ?? g.private}
        disabled={!finished || setPrivate.isPending}
        onChange={(event) => {
          setPrivateChoice(event.target.checked);
          setPrivate.mutate(
            { generationId: g.id, private: event.target.checked },
            { onSettled: () => setPrivateChoice(null) },
          );
        }}
        data-testid="private-toggle"
      />
      <span>
        {t("activity.private")}
        <span className="field-hint">
          {" "}
          —{" "}
          {finished ? (g.private ? t("activity.privateOn") : t("activity.privateOff")) : t("activity.privateWhenDone")}
        </span>
      </span>
    </label>
  );
}
