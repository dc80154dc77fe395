import type { KeysetPosition } from "@animateimg/core";
import type { Database, ExpressionBuilder } from "@animateimg/db";

/**
 * Rows after `position` in a newest-first (`column` desc, id desc) page of generations; the
 * cursor itself is encoded and checked by `@animateimg/core`'s keyset cursor.
 */
export function olderThanPosition(
  eb: ExpressionBuilder<Database, "generations">,
  column: "created_at" | "finished_at",
  position: KeysetPosition,
) {
  return eb.or([eb(column, "<", position.at), eb.and([eb(column, "=", position.at), eb("id", "<", position.id)])]);
}
