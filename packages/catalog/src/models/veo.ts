import { z } from "zod";
import { option } from "../fields";
import { defineModel } from "../model";

export const veoParams = z
  .object({
    durationSeconds: z.union([z.literal(4), z.literal(6), z.literal(8)]).default(8),
    aspectRatio: z.enum(["16:9", "9:16"]).default("16:9"),
    resolution: z.enum(["720p", "1080p"]).default("720p"),
    generateAudio: z.boolean().default(true),
    negativePrompt: z.string().max(1000).optional(),
    seed: z.number().int().min(0).max(4_294_967_295).optional(),
  })
  // Google's documented constraint: 1080p only at 8 seconds.
  .refine((p) => p.resolution !== "1080p" || p.durationSeconds === 8, {
    message: "1080p is only available for 8-second videos.",
    path: ["resolution"],
  });
export type VeoParams = z.infer<typeof veoParams>;

export const veoModel = defineModel({
  id: "veo-3.1",
  label: "VEO 3.1",
  tagline: "Google's cinematic model, with synchronized sound.",
  goodAt: ["Cinematic camera work", "Native audio and dialogue", "Optional end frame"],
  limits: ["4, 6 or 8 s", "16:9 or 9:16", "1080p only at 8 s"],
  inputs: { image: "required", endFrame: "optional", referenceVideo: "unsupported" },
  promptMaxLength: 2000,
  // A refined object is still an object schema for the form and the router.
  paramsSchema: veoParams,
  fields: [
    {
      key: "durationSeconds",
      label: "Duration",
      control: "select",
      options: [option(4, "4 s"), option(6, "6 s"), option(8, "8 s")],
    },
    {
      key: "aspectRatio",
      label: "Aspect ratio",
      control: "select",
      options: [option("16:9", "16:9 landscape"), option("9:16", "9:16 portrait")],
    },
    {
      key: "resolution",
      label: "Resolution",
      control: "select",
      options: [option("720p", "720p"), option("1080p", "1080p (8 s only)")],
    },
    { key: "generateAudio", label: "Generate sound", control: "toggle" },
    { key: "negativePrompt", label: "Avoid", control: "text", maxLength: 1000, optional: true },
    {
      key: "seed",
      label: "Seed",
      help: "Same seed and prompt give similar results.",
      control: "number",
      min: 0,
      max: 4_294_967_295,
      optional: true,
    },
  ],
  price: (params) => {
    const perSecond = params.resolution === "1080p" ? 50 : 40;
    return Math.ceil(params.durationSeconds * perSecond * (params.generateAudio ? 1 : 0.75));
  },
  routes: ["google", "kie", "fal", "replicate"],
  allowCheaperRouteFirst: true,
});
