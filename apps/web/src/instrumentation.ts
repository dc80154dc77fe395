/**
 * Runs once when the server starts: begins rendering the landing page's example video
 * (src/server/showcase) so the first visitor does not wait for it.
 */
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- Next's own runtime marker, not configuration
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { showcaseFiles } = await import("./server/showcase/showcase");
  showcaseFiles().catch((error: unknown) => console.error(`landing example video: ${String(error)}`));
}
