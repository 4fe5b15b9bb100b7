/** Most trace lines kept: enough context before a violation without unbounded memory. */
const TRACE_LIMIT = 400;

/**
 * A bounded log of notable events (role changes, crashes, partitions, snapshots), printed
 * with a violation and by the replay command. Per-message events are too many to keep.
 */
export class SimTrace {
  private lines: string[] = [];
  private droppedLines = 0;
  /** When set, every line is also printed as it happens (replay --verbose). */
  echo: ((line: string) => void) | undefined;

  add(tick: number, text: string): void {
    const line = `[t${String(tick).padStart(4, '0')}] ${text}`;
    this.echo?.(line);
    this.lines.push(line);
    if (this.lines.length > TRACE_LIMIT * 2) {
      this.droppedLines += this.lines.length - TRACE_LIMIT;
      this.lines = this.lines.slice(-TRACE_LIMIT);
    }
  }

  /** The last `n` lines. */
  tail(n = 60): string[] {
    const out = this.lines.slice(-n);
    const hidden = this.droppedLines + this.lines.length - out.length;
    return hidden > 0 ? [`… ${hidden} earlier events`, ...out] : out;
  }
}
