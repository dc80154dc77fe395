import { availableParallelism, loadavg } from "node:os";

export interface MachineFigures {
  cores: number;
  /** 1, 5 and 15 minute load averages when the bench started and when it ended. */
  loadAvgStart: number[];
  loadAvgEnd: number[];
}

const twoDigits = (xs: number[]) => xs.map((x) => Math.round(x * 100) / 100);

/** Call at the start; call the result at the end. A loaded machine shows in the figures. */
export function observeMachine(): () => MachineFigures {
  const loadAvgStart = twoDigits(loadavg());
  return () => ({ cores: availableParallelism(), loadAvgStart, loadAvgEnd: twoDigits(loadavg()) });
}
