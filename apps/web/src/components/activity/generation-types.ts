import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@animateimg/api";

type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type ModelSummary = Outputs["generation"]["models"][number];
export type GenerationItem = Outputs["generation"]["list"]["items"][number];
export type GenerationDetail = Outputs["generation"]["byId"];
export type GenerationListPage = Outputs["generation"]["list"];
export type GenerationStatus = GenerationItem["status"];
export type ModelId = GenerationItem["modelId"];
export type GalleryItem = Outputs["gallery"]["list"]["items"][number];
export type ListFilters = Pick<Inputs["generation"]["list"], "status" | "modelId">;

export const generationStatuses: GenerationStatus[] = ["queued", "running", "succeeded", "failed", "canceled"];
export const isActive = (status: GenerationStatus) => status === "queued" || status === "running";
