import { z } from "zod";

// Length caps here only stop absurd payloads; the domain functions give the real, per-field
// messages (policy, format), so forms show one consistent set of errors.
export const emailInput = z.string().trim().min(1, "Please enter your email address.").max(254);
export const passwordInput = z.string().min(1, "Please enter a password.").max(1024);
export const nameInput = z.string().max(200);
export const tokenInput = z.string().min(1).max(200);

export const accountUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(["user", "admin"]),
  emailVerified: z.boolean(),
  avatarUrl: z.string().nullable(),
  hasPassword: z.boolean(),
  createdAt: z.date(),
  linkedProviders: z.array(
    z.object({ provider: z.enum(["github", "google"]), email: z.string().nullable(), linkedAt: z.date() }),
  ),
});
