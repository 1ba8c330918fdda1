// A one-line progress bar on a terminal's stderr; silent when stderr is not a TTY.

export class Progress {
  private last = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly label: string) {}

  update(fraction: number, detail: string): void {
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.last < 100 && fraction < 1) return;
    this.last = now;
    const width = 28;
    const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
    process.stderr.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${detail}\x1b[K`);
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
