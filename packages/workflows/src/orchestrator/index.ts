// @animateimg/workflows/orchestrator: the web side's only door to Temporal (see orchestrator.ts).
export { createOrchestrator, type DeliveryToStart, type Orchestrator, type OrchestratorOptions } from "./orchestrator";
export { createTemporalClientSource, type TemporalClientSource } from "./client-source";
