import { z } from "zod";
import { adjustCredits, getBalance, grantCredits } from "@animateimg/billing";
import { AppError } from "@animateimg/core";
import { adminProcedure, createTRPCRouter } from "../trpc";

const creditChangeInput = z.object({
  email: z.email({ message: "Enter the user's email address." }),
  amount: z.number().int(),
  reason: z.string().trim().min(3, { message: "Say why (at least 3 characters)." }).max(500),
  /** One per submitted form, so a double click grants once. */
  idempotencyKey: z.string().min(8).max(100),
});

async function userIdByEmail(db: Parameters<typeof getBalance>[0], email: string): Promise<string> {
  const user = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  if (!user) throw new AppError("NOT_FOUND", `No account uses ${email}.`);
  return user.id;
}

export const adminRouter = createTRPCRouter({
  grantCredits: adminProcedure
    .input(creditChangeInput.refine((v) => v.amount > 0, { message: "A grant must be positive.", path: ["amount"] }))
    .output(z.object({ balance: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const userId = await userIdByEmail(ctx.db, input.email);
      await grantCredits(ctx.db, {
        userId,
        amount: input.amount,
        kind: "grant",
        reason: input.reason,
        actorUserId: ctx.session.user.id,
        idempotencyKey: `admin:${input.idempotencyKey}`,
      });
      return { balance: await getBalance(ctx.db, userId) };
    }),

  adjustCredits: adminProcedure
    .input(creditChangeInput.refine((v) => v.amount !== 0, { message: "An adjustment cannot be zero.", path: ["amount"] }))
    .output(z.object({ balance: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const userId = await userIdByEmail(ctx.db, input.email);
      await adjustCredits(ctx.db, {
        userId,
        amount: input.amount,
        reason: input.reason,
        actorUserId: ctx.session.user.id,
        idempotencyKey: `admin:${input.idempotencyKey}`,
      });
      return { balance: await getBalance(ctx.db, userId) };
    }),
});
