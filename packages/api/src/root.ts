import { accountRouter } from "./routers/account-router";
import { authRouter } from "./routers/auth-router";
import { systemRouter } from "./routers/system-router";
import { generationRouter } from "./generation/generation-router";
import { billingRouter } from "./billing/billing-router";
import { adminRouter } from "./admin/admin-router";
import { uploadRouter } from "./routers/upload-router";
import { galleryRouter } from "./gallery/gallery-router";
import { apiKeyRouter } from "./developer/api-key-router";
import { webhookRouter } from "./developer/webhook-router";
import { privacyRouter } from "./privacy/privacy-router";
import { accountDeletionRouter } from "./account-deletion/account-deletion-router";
import { dataExportRouter } from "./data-export/data-export-router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  system: systemRouter,
  generation: generationRouter,
  billing: billingRouter,
  admin: adminRouter,
  upload: uploadRouter,
  gallery: galleryRouter,
  auth: authRouter,
  account: accountRouter,
  apiKey: apiKeyRouter,
  webhook: webhookRouter,
  privacy: privacyRouter,
  accountDeletion: accountDeletionRouter,
  dataExport: dataExportRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (React Server Components, tests). */
export const createCaller = createCallerFactory(appRouter);
