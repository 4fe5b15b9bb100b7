// Bounds how many frames one stream has handed to grpc-js but not yet seen written out, so a
// stream's buffered payload is at most MAX frames whatever grpc-js's own high-water mark is
// (16 messages). Used with the per-write callback grpc-js calls once a frame is sent.

export class WriteWindow {
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  constructor(readonly maxFrames: number) {}

  /** Counts one frame in; pass the result as the write's callback. */
  track(): (err?: unknown) => void {
    this.inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    };
  }

  /** Resolves once fewer than maxFrames frames are in flight. */
  async room(): Promise<void> {
    while (this.inFlight >= this.maxFrames) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}
