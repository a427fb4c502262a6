// The progress line: hosts done/total and failures, redrawn in place on a TTY (stderr);
// nothing at all when stderr is not a TTY (logs, CI, pipes).

export interface Progress {
  update(done: number, total: number, failed: number): void;
  /** erase the line before printing anything else, and at the end */
  clear(): void;
}

export function progressLine(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, clear() {} };
  let shown = false;
  let last = 0;
  return {
    update(done, total, failed) {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[K${label}: ${done}/${total} hosts done${failed ? `, ${failed} failed/unreachable` : ''}`);
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
