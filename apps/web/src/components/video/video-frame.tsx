import type { ReactNode } from "react";

/**
 * A box whose size is fixed before anything loads (CSS aspect-ratio), so a poster or a video
 * arriving later never moves the page. Media inside is letterboxed with object-fit.
 */
export function VideoFrame({ children, label }: { children?: ReactNode; label?: string }) {
  return (
    <div className="video-frame" aria-label={label} role={label ? "img" : undefined}>
      {children}
    </div>
  );
}

export function VideoPlayer({
  src,
  poster,
  title,
  testId,
}: {
  src: string;
  poster: string | null;
  title: string;
  testId?: string;
}) {
  return (
    <VideoFrame>
      <video
        src={src}
        poster={poster ?? undefined}
        controls
        playsInline
        preload="metadata"
        aria-label={title}
        data-testid={testId}
        width={640}
        height={360}
      />
    </VideoFrame>
  );
}
