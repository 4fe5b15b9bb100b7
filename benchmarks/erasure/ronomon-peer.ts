// The native peer, @ronomon/reed-solomon (a C addon; devDependency used only here), behind the
// same two operations the benchmark times for our codec. Its calls run on the libuv thread
// pool; one call in flight at a time with UV_THREADPOOL_SIZE=1 keeps it to one core, and the
// main thread only waits, so the comparison is single-threaded on both sides.
import { createRequire } from 'node:module';

interface RonomonApi {
  create(k: number, m: number): unknown;
  encode(
    context: unknown, sources: number, targets: number,
    buffer: Buffer, bufferOffset: number, bufferSize: number,
    parity: Buffer, parityOffset: number, paritySize: number,
    callback: (error?: Error) => void,
  ): void;
}

const ronomon = createRequire(import.meta.url)('@ronomon/reed-solomon') as RonomonApi;

function bits(from: number, to: number): number {
  let flags = 0;
  for (let i = from; i < to; i++) flags |= 1 << i;
  return flags;
}

export class RonomonPeer {
  private readonly context: unknown;

  /** data: k shards back to back; parity: m shards back to back (the addon's layout). */
  constructor(readonly k: number, readonly m: number, readonly data: Buffer, readonly parity: Buffer) {
    this.context = ronomon.create(k, m);
  }

  private run(sources: number, targets: number): Promise<void> {
    return new Promise((resolve, reject) => {
      ronomon.encode(this.context, sources, targets, this.data, 0, this.data.length, this.parity, 0, this.parity.length,
        (error) => (error ? reject(error) : resolve()));
    });
  }

  encode(): Promise<void> {
    return this.run(bits(0, this.k), bits(this.k, this.k + this.m));
  }

  /** Rebuilds data shards 0…lost-1 from the other data shards and all parity. */
  reconstructData(lost: number): Promise<void> {
    return this.run(bits(lost, this.k + this.m), bits(0, lost));
  }
}
