/** Reports seeding progress: a bar on a terminal, one line per step elsewhere (CI logs). */
export type Progress = (step: string, done: number, total: number) => void;

export const silentProgress: Progress = () => {};

export function terminalProgress(agency: string, stream = process.stderr): Progress {
  let lastStep = "";
  let lastDrawn = 0;
  return (step, done, total) => {
    const finished = done >= total;
    if (!stream.isTTY) {
      if (finished && step !== lastStep) stream.write(`[${agency}] ${step}: ${total} rows\n`);
      lastStep = finished ? step : lastStep;
      return;
    }
    const now = Date.now();
    if (!finished && step === lastStep && now - lastDrawn < 100) return;
    lastStep = step;
    lastDrawn = now;
    const width = 24;
    const ratio = total === 0 ? 1 : done / total;
    const bar = "#".repeat(Math.round(ratio * width)).padEnd(width, "-");
    stream.write(
      `\r[${agency}] ${step.padEnd(22)} [${bar}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total}`,
    );
    if (finished) stream.write("\n");
  };
}
