// Draws showcase/harbour-at-dusk.jpg, the landing page's "before" photo, from nothing but this
// code: sky, sun, clouds, hills, a lighthouse and water, with film grain so the engine has real
// detail to move over. Re-run with `node apps/web/showcase/make-photo.mjs` (needs sharp, which
// apps/web already depends on). The output is dedicated to the public domain (see LICENSE).
import path from "node:path";
import sharp from "sharp";

const width = 1600;
const height = 1000;
const horizon = 600;

// A ridge line as a path: a few summed sines make it irregular but deterministic.
function ridge(base, amplitude, seed, step = 8) {
  const points = [];
  for (let x = 0; x <= width; x += step) {
    const y =
      base -
      amplitude *
        (0.55 * Math.sin(x / 210 + seed) + 0.3 * Math.sin(x / 97 + seed * 2.3) + 0.15 * Math.sin(x / 41 + seed * 4.1));
    points.push(`${x},${y.toFixed(1)}`);
  }
  return `M0,${horizon} L${points.join(" L")} L${width},${horizon} Z`;
}

// Boats: small hulls with masts, and their lights.
const boats = [
  [260, 690, 1],
  [520, 742, 0.8],
  [1180, 718, 1.2],
]
  .map(
    ([x, y, s]) => `
  <g transform="translate(${x} ${y}) scale(${s})">
    <path d="M-46,0 L46,0 L34,14 L-34,14 Z" fill="#141018"/>
    <rect x="-2" y="-78" width="3" height="78" fill="#141018"/>
    <path d="M2,-74 L40,-6 L2,-6 Z" fill="#2a2230" opacity="0.9"/>
    <circle cx="-20" cy="-4" r="3" fill="#ffd79a"/>
  </g>
  <rect x="${x - 30 * s}" y="${y + 16 * s}" width="${60 * s}" height="${40 * s}" fill="url(#boatReflection)" opacity="0.5"/>`,
  )
  .join("");

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#1b2350"/>
      <stop offset="0.45" stop-color="#5b3f78"/>
      <stop offset="0.78" stop-color="#e07a5f"/>
      <stop offset="1" stop-color="#f6c27a"/>
    </linearGradient>
    <linearGradient id="water" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#e8a06a"/>
      <stop offset="0.25" stop-color="#7a4d6e"/>
      <stop offset="1" stop-color="#141a36"/>
    </linearGradient>
    <radialGradient id="sun" cx="0.5" cy="0.5" r="0.5">
      <stop offset="0" stop-color="#fff6d8"/>
      <stop offset="0.35" stop-color="#ffd88a"/>
      <stop offset="1" stop-color="#ff9a5a" stop-opacity="0"/>
    </radialGradient>
    <linearGradient id="sunPath" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#ffe2a8" stop-opacity="0.9"/>
      <stop offset="1" stop-color="#ffe2a8" stop-opacity="0"/>
    </linearGradient>
    <linearGradient id="boatReflection" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#0d0a12"/>
      <stop offset="1" stop-color="#0d0a12" stop-opacity="0"/>
    </linearGradient>
    <filter id="clouds" x="0" y="0" width="100%" height="100%">
      <feTurbulence type="fractalNoise" baseFrequency="0.0022 0.011" numOctaves="5" seed="7"/>
      <feColorMatrix type="matrix" values="0 0 0 0 1  0 0 0 0 0.78  0 0 0 0 0.72  0 0 0 1.9 -0.95"/>
    </filter>
    <filter id="ripples" x="0" y="0" width="100%" height="100%">
      <feTurbulence type="fractalNoise" baseFrequency="0.004 0.09" numOctaves="3" seed="3"/>
      <feColorMatrix type="matrix" values="0 0 0 0 1  0 0 0 0 0.85  0 0 0 0 0.7  0 0 0 2.2 -1.25"/>
    </filter>
    <filter id="grain" x="0" y="0" width="100%" height="100%">
      <feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="2" seed="11"/>
      <feColorMatrix type="matrix" values="0 0 0 0 0.5  0 0 0 0 0.5  0 0 0 0 0.5  0 0 0 0.16 0"/>
    </filter>
    <filter id="haze"><feGaussianBlur stdDeviation="1.4"/></filter>
    <filter id="glow" x="-50%" y="0" width="200%" height="100%"><feGaussianBlur stdDeviation="14 4"/></filter>
  </defs>
  <rect width="${width}" height="${horizon}" fill="url(#sky)"/>
  <circle cx="1040" cy="${horizon - 135}" r="190" fill="url(#sun)"/>
  <circle cx="1040" cy="${horizon - 135}" r="44" fill="#fff3d2"/>
  <rect width="${width}" height="${horizon - 40}" filter="url(#clouds)" opacity="0.55"/>
  <path d="${ridge(horizon - 150, 70, 1.3)}" fill="#6d4a78" opacity="0.55" filter="url(#haze)"/>
  <path d="${ridge(horizon - 80, 55, 4.2)}" fill="#3e2d55" opacity="0.85"/>
  <path d="${ridge(horizon - 25, 30, 2.1, 6)}" fill="#221a33"/>
  <g transform="translate(330 ${horizon - 40})">
    <path d="M-14,40 L-8,-90 L8,-90 L14,40 Z" fill="#f1e6dc"/>
    <rect x="-9" y="-60" width="18" height="14" fill="#b5473a"/>
    <rect x="-9" y="-20" width="18" height="14" fill="#b5473a"/>
    <rect x="-12" y="-104" width="24" height="16" fill="#221a33"/>
    <circle cx="0" cy="-96" r="7" fill="#fff2b0"/>
    <path d="M0,-96 L-260,-130 L-260,-62 Z" fill="#fff2b0" opacity="0.12"/>
  </g>
  <rect y="${horizon}" width="${width}" height="${height - horizon}" fill="url(#water)"/>
  <rect x="960" y="${horizon}" width="160" height="${height - horizon}" fill="url(#sunPath)" opacity="0.55" filter="url(#glow)"/>
  <rect y="${horizon}" width="${width}" height="${height - horizon}" filter="url(#ripples)" opacity="0.55"/>
  <path d="M0,${height} L0,${height - 90} L240,${height - 110} L560,${height - 70} L700,${height} Z" fill="#0e0c16"/>
  <rect x="80" y="${height - 170}" width="10" height="80" fill="#0e0c16"/>
  <rect x="140" y="${height - 160}" width="10" height="70" fill="#0e0c16"/>
  ${boats}
  <rect width="${width}" height="${height}" filter="url(#grain)"/>
</svg>`;

const out = path.join(import.meta.dirname, "harbour-at-dusk.jpg");
await sharp(Buffer.from(svg)).jpeg({ quality: 84, mozjpeg: true }).toFile(out);
console.log(`wrote ${out}`);
