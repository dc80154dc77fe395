import Link from "next/link";
import type { ReactNode } from "react";

/** "Buy credits", wherever a message says there are not enough (or credits are owed). */
export function BuyCreditsLink({ children }: { children: ReactNode }) {
  return (
    <Link href="/pricing" className="buy-credits-link" data-testid="buy-credits-link">
      {children}
    </Link>
  );
}
