import { z } from "zod";
import { option } from "../fields";
import { defineModel } from "../model";

export const klingParams = z.object({
  mode: z.enum(["std", "pro"]).default("std"),
  durationSeconds: z.number().int().min(3).max(15).default(5),
  negativePrompt: z.string().max(2500).optional(),
  generateAudio: z.boolean().default(false),
});
export type KlingParams = z.infer<typeof klingParams>;

export const klingModel = defineModel({
  id: "kling-3",
  label: "Kling 3.0",
  tagline: "Lifelike people and physics from a single photo.",
  goodAt: ["People and faces in motion", "Natural physics", "Optional end frame"],
  limits: ["3–15 s", "No aspect ratio setting: follows the photo", "Photo at least 300 px, up to 10 MB"],
  inputs: { image: "required", endFrame: "optional", referenceVideo: "unsupported" },
  promptMaxLength: 2500,
  paramsSchema: klingParams,
  fields: [
    {
      key: "mode",
      label: "Quality",
      control: "select",
      options: [option("std", "Standard"), option("pro", "Pro (sharper, slower)")],
    },
    { key: "durationSeconds", label: "Duration", control: "slider", min: 3, max: 15, step: 1, unit: "s" },
    {
      key: "negativePrompt",
      label: "Avoid",
      help: "Things you do not want to see.",
      control: "text",
      maxLength: 2500,
      optional: true,
    },
    { key: "generateAudio", label: "Generate sound", control: "toggle" },
  ],
  price: (params) => {
    const perSecond = params.mode === "pro" ? 14 : 10;
    return Math.ceil(params.durationSeconds * perSecond * (params.generateAudio ? 1.3 : 1));
  },
  routes: ["kling", "kie", "fal", "replicate"],
  allowCheaperRouteFirst: true,
});
