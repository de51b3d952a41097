/** A one-line progress bar redrawn in place on a terminal (stderr), cleared before other output. */
export interface ProgressLine {
  update(done: number, total: number | null): void;
  clear(): void;
  redraw(): void;
}

export function createProgressLine(stream: NodeJS.WriteStream, width = 30): ProgressLine {
  let text = "";
  const draw = () => {
    if (text) stream.write(`\r${text}\x1b[K`);
  };
  return {
    update(done, total) {
      if (total && total > 0) {
        const ratio = Math.min(1, done / total);
        const filled = Math.round(ratio * width);
        text = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${Math.floor(ratio * 100)}%`;
      } else {
        text = `${done} done`;
      }
      draw();
    },
    clear() {
      if (text) stream.write("\r\x1b[K");
    },
    redraw: draw,
  };
}
