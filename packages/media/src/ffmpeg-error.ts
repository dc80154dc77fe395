/**
 * ffmpeg exited badly. Not an AppError: whether this is the user's file or our bug is for
 * the caller to decide (probing and the engine map it); the stderr tail is what a person
 * needs to find out.
 */
export class FfmpegError extends Error {
  readonly exitCode: number | null;
  readonly exitSignal: NodeJS.Signals | null;
  readonly stderrTail: string;

  constructor(
    message: string,
    options: { exitCode: number | null; exitSignal: NodeJS.Signals | null; stderrTail: string },
  ) {
    super(options.stderrTail ? `${message}\n${options.stderrTail}` : message);
    this.name = "FfmpegError";
    this.exitCode = options.exitCode;
    this.exitSignal = options.exitSignal;
    this.stderrTail = options.stderrTail;
  }
}
