/**
 * A progress bar on stderr, so stdout stays clean for the report. On a terminal it redraws one line;
 * otherwise (a log file, CI) it prints a line at every 10% step.
 */

const WIDTH = 28;

export interface Progress {
  /** Moves `n` steps forward and updates the label (e.g. the current conversation). */
  tick(n?: number, label?: string): void;
  done(): void;
}

const fmtSeconds = (s: number) => (s >= 90 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);

export function progress(title: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const tty = Boolean(stream.isTTY);
  let done = 0;
  let label = '';
  let lastStep = -1;

  const line = () => {
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(frac * WIDTH);
    const elapsed = (Date.now() - started) / 1000;
    const eta = done > 0 && frac < 1 ? ` eta ${fmtSeconds((elapsed / done) * (total - done))}` : '';
    return `${title} [${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${String(Math.round(frac * 100)).padStart(3)}% ${done}/${total} ${fmtSeconds(elapsed)}${eta} ${label}`;
  };
  const draw = () => {
    if (tty) {
      stream.write(`\r${line().slice(0, (stream.columns || 120) - 1)}\x1b[K`);
      return;
    }
    const step = total > 0 ? Math.floor((10 * done) / total) : 10;
    if (step !== lastStep) {
      lastStep = step;
      stream.write(`${line()}\n`);
    }
  };

  draw();
  return {
    tick(n = 1, next?: string) {
      done += n;
      if (next !== undefined) label = next;
      draw();
    },
    done() {
      done = total;
      label = '';
      if (tty) stream.write(`\r${line()}\x1b[K\n`);
      else if (lastStep !== 10) stream.write(`${line()}\n`);
    },
  };
}
