"use client";

import { useEffect, useState, type ReactNode } from "react";
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, loggerLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import superjson from "superjson";
import type { AppRouter } from "@animateimg/api";
import { useT } from "~/i18n/i18n-provider";
import { createQueryClient } from "./query-client";
import { translateErrorsLink, type WordError } from "./translate-errors-link";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;
function getQueryClient() {
  if (typeof window === "undefined") return createQueryClient();
  browserQueryClient ??= createQueryClient();
  return browserQueryClient;
}

/** The reader's wording of server refusals, set by the provider once mounted (in the browser only). */
const errorWording: { current: WordError | null } = { current: null };

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  // Refusals in the reader's language, read when an error arrives: a language change needs no new client.
  const { wordError } = useT();
  useEffect(() => {
    errorWording.current = wordError;
  }, [wordError]);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        translateErrorsLink(() => errorWording.current),
        loggerLink({ enabled: (op) => op.direction === "down" && op.result instanceof Error }),
        // Subscriptions (the live status stream) go over SSE; everything else is batched HTTP,
        // queries included as POST: their input in the URL could exceed the server's 16 KB
        // header limit (a legal 2,000-character CJK prompt does) and get a bodiless 431.
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ transformer: superjson, url: "/api/trpc" }),
          false: httpBatchLink({ transformer: superjson, url: "/api/trpc", methodOverride: "POST" }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
