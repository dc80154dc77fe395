import { z } from "zod";

/** A URL that must use one of the given protocols, e.g. postgres: for DATABASE_URL. */
export const urlWithProtocol = (...protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}` },
  );

/** host:port, as Temporal's clients take it. */
export const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, { message: "must be host:port, e.g. 127.0.0.1:7233" });

export const port = z.coerce.number().int().min(1).max(65535);

export const databaseEnv = z.object({
  DATABASE_URL: urlWithProtocol("postgres:", "postgresql:"),
});

export const temporalEnv = z.object({
  TEMPORAL_ADDRESS: hostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default("default"),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default("animateimg"),
});
