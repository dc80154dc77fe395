"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import type { ModelId, ModelSummary } from "./generation-types";

/** The model catalog (public, changes only with a deploy: cached for the session). */
export function useModels(): {
  models: ModelSummary[] | undefined;
  labelOf: (id: ModelId) => string;
  error: string | null;
} {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.generation.models.queryOptions(), staleTime: Infinity });
  return {
    models: query.data,
    labelOf: (id) => query.data?.find((model) => model.id === id)?.label ?? id,
    error: query.error?.message ?? null,
  };
}
