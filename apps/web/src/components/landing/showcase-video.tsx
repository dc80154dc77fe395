"use client";

import { useEffect, useRef } from "react";
import { usePrefersReducedMotion } from "../ui/use-reduced-motion";

/**
 * The landing page's "after": a muted loop that plays by itself, except for readers who ask
 * for reduced motion — they see the poster, paused, with controls to play it if they choose.
 * No autoPlay attribute: the server cannot know the preference, so playing starts here.
 */
export function ShowcaseVideo({ src, poster, label }: { src: string; poster: string; label: string }) {
  const reduced = usePrefersReducedMotion();
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (reduced) video.pause();
    // A browser that refuses autoplay leaves the poster; nothing to report.
    else video.play().catch(() => {});
  }, [reduced]);
  return (
    <video
      ref={ref}
      data-testid="showcase-video"
      src={src}
      poster={poster}
      aria-label={label}
      muted
      loop
      playsInline
      preload="metadata"
      controls={reduced}
      width={1280}
      height={720}
    />
  );
}
