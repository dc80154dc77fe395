import { z } from "zod";
import { option } from "../fields";
import { defineModel } from "../model";

export const seedanceParams = z.object({
  durationSeconds: z.number().int().min(4).max(12).default(5),
  resolution: z.enum(["480p", "720p", "1080p"]).default("720p"),
  aspectRatio: z.enum(["adaptive", "16:9", "9:16", "1:1", "4:3", "3:4", "21:9"]).default("adaptive"),
  cameraFixed: z.boolean().default(false),
  generateAudio: z.boolean().default(false),
  seed: z.number().int().min(0).max(4_294_967_295).optional(),
});
export type SeedanceParams = z.infer<typeof seedanceParams>;

const perSecond = { "480p": 6, "720p": 10, "1080p": 20 } as const;

export const seedanceModel = defineModel({
  id: "seedance-2",
  label: "Seedance 2.0",
  tagline: "ByteDance's fast model with first- and last-frame control.",
  goodAt: ["Transitions from a first to a last frame", "Stylized motion", "Locked-off camera shots"],
  limits: ["4–12 s", "Up to 1080p", "Provider keeps data 24 h: we copy the result at once"],
  inputs: { image: "required", endFrame: "optional", referenceVideo: "unsupported" },
  promptMaxLength: 2000,
  paramsSchema: seedanceParams,
  fields: [
    { key: "durationSeconds", label: "Duration", control: "slider", min: 4, max: 12, step: 1, unit: "s" },
    {
      key: "resolution",
      label: "Resolution",
      control: "select",
      options: [option("480p", "480p"), option("720p", "720p"), option("1080p", "1080p")],
    },
    {
      key: "aspectRatio",
      label: "Aspect ratio",
      control: "select",
      options: [
        option("adaptive", "Match the photo"),
        option("16:9", "16:9"),
        option("9:16", "9:16"),
        option("1:1", "1:1"),
        option("4:3", "4:3"),
        option("3:4", "3:4"),
        option("21:9", "21:9"),
      ],
    },
    { key: "cameraFixed", label: "Keep the camera still", control: "toggle" },
    { key: "generateAudio", label: "Generate sound", control: "toggle" },
    { key: "seed", label: "Seed", control: "number", min: 0, max: 4_294_967_295, optional: true },
  ],
  price: (params) =>
    Math.ceil(params.durationSeconds * perSecond[params.resolution] * (params.generateAudio ? 1.2 : 1)),
  routes: ["bytedance", "kie", "fal", "replicate"],
  allowCheaperRouteFirst: true,
});
