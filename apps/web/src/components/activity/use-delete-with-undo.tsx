"use client";

import { useCallback, useState, type ReactNode } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { UndoToast } from "./undo-toast";

/**
 * Delete hides a generation at once on the server; its files go only after the undo window.
 * The toast offers "Undo" for a few seconds, which restores it.
 */
export function useDeleteWithUndo(onError: (message: string) => void): {
  remove: (generationId: string) => void;
  toast: ReactNode;
} {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [deletedId, setDeletedId] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.generation.pathKey() });
  const del = useMutation(
    trpc.generation.delete.mutationOptions({
      onSuccess: (_data, { generationId }) => {
        setDeletedId(generationId);
        return refresh();
      },
      onError: (error) => onError(error.message),
    }),
  );
  const restore = useMutation(
    trpc.generation.restore.mutationOptions({
      onSuccess: () => {
        setDeletedId(null);
        return refresh();
      },
      onError: (error) => {
        setDeletedId(null);
        onError(error.message);
      },
    }),
  );
  const close = useCallback(() => setDeletedId(null), []);
  return {
    remove: (generationId) => del.mutate({ generationId }),
    toast: deletedId ? (
      <UndoToast
        pending={restore.isPending}
        onClose={close}
        onUndo={() => restore.mutate({ generationId: deletedId })}
      />
    ) : null,
  };
}
