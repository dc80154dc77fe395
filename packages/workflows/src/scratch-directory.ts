import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

export interface ScratchDirectory {
  /** This process's own folder (0700); renders and downloads make their folders inside it. */
  path: string;
  /** Removes the folder and everything in it. Idempotent; also runs on process exit. */
  remove(): void;
}

export interface OpenScratchDirectoryOptions {
  /** Parent folder (WORKER_SCRATCH_DIR); default `<tmp>/animateimg-worker-<uid>`. */
  parent?: string | undefined;
  log?: (line: string) => void;
}

const PREFIX = "proc-";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A private scratch folder for one worker process. Decrypted photos and rendered videos pass
 * through it, so: the parent and the folder are 0700 and ours, the process's umask becomes 077
 * (files it and its ffmpeg children create are 0600), the folder is removed when the process
 * exits, and folders left by processes that died without cleaning up are swept at start.
 */
export function openScratchDirectory(options: OpenScratchDirectoryOptions = {}): ScratchDirectory {
  const log = options.log ?? ((line: string) => console.log(line));
  const uid = process.getuid?.() ?? userInfo().uid;
  const parent = options.parent ?? path.join(tmpdir(), `animateimg-worker-${uid}`);
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  const stat = lstatSync(parent);
  if (!stat.isDirectory() || stat.isSymbolicLink() || (uid >= 0 && stat.uid !== uid)) {
    throw new Error(
      `scratch folder ${parent} is not a folder owned by this user; set WORKER_SCRATCH_DIR to a private one`,
    );
  }
  chmodSync(parent, 0o700);
  process.umask(0o077);

  let swept = 0;
  for (const entry of readdirSync(parent)) {
    const pid = Number(/^proc-(\d+)-/.exec(entry)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    rmSync(path.join(parent, entry), { recursive: true, force: true });
    swept++;
  }
  if (swept > 0) log(`worker: removed ${swept} scratch folder(s) left by stopped workers`);

  const dir = mkdtempSync(path.join(parent, `${PREFIX}${process.pid}-`)); // mkdtemp makes it 0700
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", remove);
  return { path: dir, remove };
}
