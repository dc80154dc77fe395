import { SystemStatus } from "~/components/system-status";

const models = ["Animate", "Kling 3.0", "VEO 3.1", "Seedance 2.0", "Motion Control"];

export default function HomePage() {
  return (
    <main>
      <h1>Turn a still photo into a short cinematic video</h1>
      <p className="lede">
        AnimateImg puts many video models behind one workspace. Upload a photo, choose a model, describe the
        motion, and get a video back — failed generations are always refunded.
      </p>
      <ul className="models" aria-label="Models">
        {models.map((model) => (
          <li key={model}>{model}</li>
        ))}
      </ul>
      <SystemStatus />
    </main>
  );
}
