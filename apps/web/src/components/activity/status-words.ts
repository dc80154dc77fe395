import type { MessageKey } from "~/i18n/translate";
import type { GenerationStatus } from "./generation-types";

export const statusKey: Record<GenerationStatus, MessageKey> = {
  queued: "status.queued",
  running: "status.running",
  succeeded: "status.succeeded",
  failed: "status.failed",
  canceled: "status.canceled",
};
