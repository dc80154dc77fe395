import { z } from "zod";
import { option } from "../fields";
import { defineModel } from "../model";

export const animateParams = z.object({
  cameraMove: z
    .enum(["zoom_in", "zoom_out", "pan_left", "pan_right", "pan_up", "pan_down", "dolly", "drift"])
    .default("zoom_in"),
  durationSeconds: z.number().int().min(2).max(10).default(5),
  aspectRatio: z.enum(["16:9", "9:16", "1:1"]).default("16:9"),
  resolution: z.enum(["480p", "720p", "1080p"]).default("720p"),
  fps: z.union([z.literal(24), z.literal(30)]).default(24),
  easing: z.enum(["linear", "ease_in", "ease_out", "ease_in_out"]).default("ease_in_out"),
  intensity: z.number().min(0.1).max(1).default(0.5),
  loop: z.boolean().default(false),
  fade: z.boolean().default(false),
});
export type AnimateParams = z.infer<typeof animateParams>;

const perSecond = { "480p": 1, "720p": 2, "1080p": 3 } as const;

export const animateModel = defineModel({
  id: "animate",
  label: "Animate",
  tagline: "Our own motion engine: smooth camera moves, fast and cheap.",
  goodAt: ["Ken Burns style zooms and pans", "Seamless loops", "Product and landscape shots"],
  limits: ["2–10 s", "Camera motion only: the subject does not move"],
  inputs: { image: "required", endFrame: "unsupported", referenceVideo: "unsupported" },
  promptMaxLength: 500,
  paramsSchema: animateParams,
  fields: [
    {
      key: "cameraMove",
      label: "Camera move",
      control: "select",
      options: [
        option("zoom_in", "Zoom in"),
        option("zoom_out", "Zoom out"),
        option("pan_left", "Pan left"),
        option("pan_right", "Pan right"),
        option("pan_up", "Pan up"),
        option("pan_down", "Pan down"),
        option("dolly", "Dolly toward the subject"),
        option("drift", "Gentle drift (parallax-like)"),
      ],
    },
    { key: "durationSeconds", label: "Duration", control: "slider", min: 2, max: 10, step: 1, unit: "s" },
    {
      key: "aspectRatio",
      label: "Aspect ratio",
      control: "select",
      options: [option("16:9", "16:9 landscape"), option("9:16", "9:16 portrait"), option("1:1", "1:1 square")],
    },
    {
      key: "resolution",
      label: "Resolution",
      control: "select",
      options: [option("480p", "480p"), option("720p", "720p"), option("1080p", "1080p")],
    },
    {
      key: "fps",
      label: "Frame rate",
      control: "select",
      options: [option(24, "24 fps (cinematic)"), option(30, "30 fps (smooth)")],
    },
    {
      key: "easing",
      label: "Easing",
      control: "select",
      options: [
        option("linear", "Linear"),
        option("ease_in", "Ease in"),
        option("ease_out", "Ease out"),
        option("ease_in_out", "Ease in and out"),
      ],
    },
    {
      key: "intensity",
      label: "Motion strength",
      help: "How far the camera travels.",
      control: "slider",
      min: 0.1,
      max: 1,
      step: 0.1,
    },
    { key: "loop", label: "Loop seamlessly", help: "The camera returns to where it started.", control: "toggle" },
    { key: "fade", label: "Fade in and out", control: "toggle" },
  ],
  price: (params) => params.durationSeconds * perSecond[params.resolution],
  routes: ["local"],
  allowCheaperRouteFirst: false,
});
