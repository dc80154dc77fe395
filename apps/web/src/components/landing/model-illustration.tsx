import type { ModelId } from "@animateimg/catalog";

/**
 * A small drawing of what each model does, for the landing page. Pure SVG; the motion is CSS
 * (globals.css, `.ill-*`) that runs only when the reader has not asked for reduced motion.
 */
export function ModelIllustration({ id, label }: { id: ModelId; label: string }) {
  return (
    <svg
      className={`model-ill model-ill-${id}`}
      viewBox="0 0 160 90"
      role="img"
      aria-label={label}
      data-testid={`model-illustration-${id}`}
    >
      {drawings[id]}
    </svg>
  );
}

const person = (x: number, y: number, armClass: string) => (
  <g transform={`translate(${x} ${y})`}>
    <circle cx="0" cy="-30" r="6" className="ill-ink" />
    <path d="M0,-24 L0,0 M0,0 L-7,16 M0,0 L7,16 M0,-18 L-10,-8" className="ill-stroke" />
    <path d="M0,-18 L11,-30" className={`ill-stroke ${armClass}`} />
  </g>
);

const drawings: Record<ModelId, React.ReactNode> = {
  // Animate: a camera frame travelling over the photo itself.
  animate: (
    <>
      <image href="/showcase/photo.jpg" x="0" y="0" width="160" height="90" preserveAspectRatio="xMidYMid slice" />
      <rect x="8" y="5" width="144" height="80" className="ill-frame ill-zoom" />
      <path d="M70,45 h20 M80,35 v20" className="ill-cross" />
    </>
  ),
  // Kling: a person who moves and a ball that falls and bounces (people and physics).
  "kling-3": (
    <>
      <rect width="160" height="90" className="ill-bg" />
      <path d="M0,78 H160" className="ill-stroke" />
      {person(55, 62, "ill-wave")}
      <circle cx="110" cy="70" r="7" className="ill-accent ill-bounce" />
    </>
  ),
  // Veo: a widescreen scene with its own soundtrack.
  "veo-3.1": (
    <>
      <rect width="160" height="90" className="ill-bg" />
      <rect x="6" y="10" width="92" height="70" rx="4" className="ill-ink" />
      <path d="M6,66 L34,44 L52,58 L72,38 L98,62 L98,80 L6,80 Z" className="ill-hill" />
      <circle cx="80" cy="26" r="6" className="ill-sun" />
      {[0, 1, 2, 3, 4, 5].map((i) => (
        <rect
          key={i}
          x={108 + i * 8}
          y="25"
          width="5"
          height="40"
          rx="2"
          className={`ill-accent ill-bar ill-bar-${i}`}
        />
      ))}
    </>
  ),
  // Seedance: you give the first and the last frame; it makes the motion between them.
  "seedance-2": (
    <>
      <rect width="160" height="90" className="ill-bg" />
      <rect x="6" y="20" width="44" height="50" rx="3" className="ill-card" />
      <rect x="110" y="20" width="44" height="50" rx="3" className="ill-card" />
      <circle cx="18" cy="58" r="6" className="ill-accent" />
      <circle cx="142" cy="32" r="6" className="ill-accent" />
      <path d="M28,58 C70,60 90,30 132,32" className="ill-dash" />
      <circle cx="0" cy="0" r="5" className="ill-accent ill-travel" />
    </>
  ),
  // Motion Control: the pose of the person in a reference video moves the person in the photo.
  "motion-control": (
    <>
      <rect width="160" height="90" className="ill-bg" />
      <rect x="6" y="12" width="58" height="66" rx="4" className="ill-card" />
      <path d="M12,18 l8,5 l-8,5 Z" className="ill-accent" />
      {person(35, 60, "ill-wave")}
      <path d="M70,45 H88 M82,39 L88,45 L82,51" className="ill-stroke" />
      <rect x="96" y="12" width="58" height="66" rx="4" className="ill-card ill-photo-card" />
      {person(125, 60, "ill-wave")}
    </>
  ),
};
