// The three sides of the data node benchmark, each timed over the same 1 MiB payloads:
// plain `fs` in this process (the physical limit: write+fsync per file, readFile back), a data
// node over loopback gRPC (PutChunk/GetChunk through DataNodeClient), and bare grpc-js moving
// the same bytes between processes with no disk (the transport's own ceiling).
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataNodeClient } from '../../services/data/data-client.ts';
import type { RawGrpcClient } from './raw-grpc-service.ts';

export interface Timed {
  bytes: number;
  ms: number;
}

export function mbPerSec(t: Timed): number {
  return t.bytes / 1e6 / (t.ms / 1000);
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; returns elapsed ms. */
async function timedPool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await task(next++);
  }));
  return performance.now() - started;
}

export async function fsWrite(dir: string, payloads: Uint8Array[], count: number, concurrency: number): Promise<Timed> {
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  const ms = await timedPool(count, concurrency, async (i) => {
    const data = payloads[i % payloads.length]!;
    const fh = await open(join(dir, `f${i}`), 'w');
    try {
      await fh.write(data, 0, data.length, 0);
      await fh.sync();
    } finally {
      await fh.close();
    }
    bytes += data.length;
  });
  return { bytes, ms };
}

export async function fsRead(dir: string, count: number, concurrency: number): Promise<Timed> {
  let bytes = 0;
  const ms = await timedPool(count, concurrency, async (i) => {
    bytes += (await readFile(join(dir, `f${i}`))).length;
  });
  return { bytes, ms };
}

export function benchChunkId(run: string, i: number): string {
  return `${run}${i.toString(16).padStart(24, '0')}`;
}

export async function nodePut(
  client: DataNodeClient, run: string, payloads: Uint8Array[], count: number, concurrency: number,
): Promise<Timed> {
  let bytes = 0;
  const ms = await timedPool(count, concurrency, async (i) => {
    const data = payloads[i % payloads.length]!;
    await client.putChunkBytes(benchChunkId(run, i), data);
    bytes += data.length;
  });
  return { bytes, ms };
}

export async function nodeGet(client: DataNodeClient, run: string, count: number, concurrency: number): Promise<Timed> {
  let bytes = 0;
  const ms = await timedPool(count, concurrency, async (i) => {
    for await (const frame of client.getChunk(benchChunkId(run, i)).frames()) bytes += frame.data.length;
  });
  return { bytes, ms };
}

export async function nodeDeleteAll(client: DataNodeClient, run: string, count: number): Promise<void> {
  await timedPool(count, 8, async (i) => {
    await client.deleteChunk(benchChunkId(run, i));
  });
}

export async function rawPut(client: RawGrpcClient, payloads: Uint8Array[], count: number, concurrency: number): Promise<Timed> {
  let bytes = 0;
  const ms = await timedPool(count, concurrency, async (i) => {
    const data = payloads[i % payloads.length]!;
    await client.put(data);
    bytes += data.length;
  });
  return { bytes, ms };
}

export async function rawGet(client: RawGrpcClient, chunkBytes: number, count: number, concurrency: number): Promise<Timed> {
  let bytes = 0;
  const ms = await timedPool(count, concurrency, async () => {
    bytes += await client.get(chunkBytes);
  });
  return { bytes, ms };
}
