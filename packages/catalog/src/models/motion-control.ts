import { z } from "zod";
import { option } from "../fields";
import { defineModel } from "../model";

export const motionControlParams = z.object({
  mode: z.enum(["std", "pro"]).default("std"),
  characterOrientation: z.enum(["image", "video"]).default("image"),
  keepOriginalSound: z.boolean().default(true),
});
export type MotionControlParams = z.infer<typeof motionControlParams>;

/** Reference videos longer than this are refused (Kling: 3–30 s). */
export const MOTION_REFERENCE_MAX_SECONDS = 30;
export const MOTION_REFERENCE_MIN_SECONDS = 3;

export const motionControlModel = defineModel({
  id: "motion-control",
  label: "Motion Control",
  tagline: "Moves the person in your photo the way the person in a video moves.",
  goodAt: ["Dance and gesture transfer", "Keeping the photo's identity", "Matching a reference performance"],
  limits: ["Reference video 3–30 s, MP4 or MOV, up to 100 MB", "The output is as long as the reference video"],
  inputs: { image: "required", endFrame: "unsupported", referenceVideo: "required" },
  promptMaxLength: 2500,
  paramsSchema: motionControlParams,
  fields: [
    { key: "mode", label: "Quality", control: "select", options: [option("std", "Standard"), option("pro", "Pro")] },
    {
      key: "characterOrientation",
      label: "Face the way of",
      help: "Whether the character keeps the photo's orientation or follows the video's.",
      control: "select",
      options: [option("image", "The photo"), option("video", "The video")],
    },
    { key: "keepOriginalSound", label: "Keep the video's sound", control: "toggle" },
  ],
  price: (params, context) => {
    // Until the reference video is probed, quote its longest allowed length.
    const seconds = Math.ceil(context?.referenceVideoSeconds ?? MOTION_REFERENCE_MAX_SECONDS);
    return seconds * (params.mode === "pro" ? 12 : 8);
  },
  routes: ["kling", "kie", "fal"],
  allowCheaperRouteFirst: true,
});
