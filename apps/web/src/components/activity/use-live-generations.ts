"use client";

import { useEffect, useRef } from "react";
import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "~/trpc/react";
import { isActive, type GenerationListPage } from "./generation-types";

/**
 * Keeps every cached view of the user's generations current from the status stream (SSE):
 * an update replaces the generation in place in each list page and its detail; a removal
 * drops it; "resync" (the server missed events) or a reconnect re-reads the lists. Nothing
 * polls and nothing needs a manual refresh.
 */
export function useLiveGenerations(): { live: boolean } {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listKey = trpc.generation.list.infiniteQueryKey();

  const subscription = useSubscription(
    trpc.generation.onStatus.subscriptionOptions(undefined, {
      onData: (event) => {
        if (event.kind === "resync") return void queryClient.invalidateQueries({ queryKey: trpc.generation.pathKey() });
        if (event.kind === "removed") {
          queryClient.setQueriesData<InfiniteData<GenerationListPage>>({ queryKey: listKey }, (data) =>
            data
              ? {
                  ...data,
                  pages: data.pages.map((page) => ({
                    ...page,
                    items: page.items.filter((item) => item.id !== event.generationId),
                  })),
                }
              : data,
          );
          queryClient.removeQueries({ queryKey: trpc.generation.byId.queryKey({ generationId: event.generationId }) });
          return;
        }
        const generation = event.generation;
        queryClient.setQueryData(trpc.generation.byId.queryKey({ generationId: generation.id }), generation);
        let known = false;
        queryClient.setQueriesData<InfiniteData<GenerationListPage>>({ queryKey: listKey }, (data) => {
          if (!data) return data;
          return {
            ...data,
            pages: data.pages.map((page) => ({
              ...page,
              items: page.items.map((item) => {
                if (item.id !== generation.id) return item;
                known = true;
                return generation;
              }),
            })),
          };
        });
        // A generation started elsewhere (another tab, a retry) joins the lists.
        if (!known) void queryClient.invalidateQueries({ queryKey: listKey });
        // Credits move when a generation is reserved, captured or released.
        if (!isActive(generation.status) || generation.status === "queued")
          void queryClient.invalidateQueries({ queryKey: trpc.billing.balance.queryKey() });
      },
    }),
  );

  // Events sent while we were disconnected are lost: read the lists again after a reconnect.
  const connectedBefore = useRef(false);
  useEffect(() => {
    if (subscription.status !== "pending") return;
    if (connectedBefore.current) void queryClient.invalidateQueries({ queryKey: trpc.generation.pathKey() });
    connectedBefore.current = true;
  }, [subscription.status, queryClient, trpc]);

  return { live: subscription.status === "pending" };
}
