/**
 * A one-line progress bar on stderr for long CLI jobs (the scale seed, the benchmark).
 * On a terminal it redraws in place; elsewhere (CI logs, pipes) it prints a line every 10 %.
 */
export interface ProgressBar {
  /** done/total in [0, 1]; `label` says what is happening now. */
  update(fraction: number, label: string): void;
  /** Ends the bar with a final line. */
  done(label: string): void;
}

function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

export function createProgressBar(title: string, stream: NodeJS.WriteStream = process.stderr, width = 30): ProgressBar {
  const started = Date.now();
  const tty = Boolean(stream.isTTY);
  let lastDecile = -1;
  let lastDraw = 0;
  const line = (fraction: number, label: string) => {
    const f = Math.min(1, Math.max(0, fraction));
    const filled = Math.round(f * width);
    const elapsed = Date.now() - started;
    const eta = f > 0.02 && f < 1 ? ` · ~${formatElapsed((elapsed / f) * (1 - f))} left` : "";
    return `${title} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}% ${formatElapsed(elapsed)}${eta} · ${label}`;
  };
  return {
    update(fraction, label) {
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 100 && fraction < 1) return;
        lastDraw = now;
        const text = line(fraction, label);
        const cols = stream.columns ?? 120;
        stream.write(`\r${text.length > cols - 1 ? text.slice(0, cols - 1) : text.padEnd(cols - 1)}`);
        return;
      }
      const decile = Math.floor(Math.min(1, fraction) * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${line(fraction, label)}\n`);
      }
    },
    done(label) {
      const text = line(1, label);
      stream.write(tty ? `\r${text.padEnd((stream.columns ?? 120) - 1)}\n` : `${text}\n`);
    },
  };
}
