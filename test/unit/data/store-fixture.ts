// Shared pieces of the data node unit tests: temp dirs, deterministic bytes, whole reads,
// and a filesystem that fails on command.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { nodeChunkFileSystem, type ChunkFile, type ChunkFileSystem } from '../../../services/data/chunk-file-system.ts';
import type { ChunkStore } from '../../../services/data/chunk-store.ts';
import type { ChunkPut } from '../../../services/data/chunk-put.ts';

export function tempDir(prefix = 'zs-data-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Deterministic pseudo-random bytes (xorshift) so failures replay exactly. */
export function patternBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761) | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function chunkId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** Puts `data` in frames of `frame` bytes through the store API. */
export async function putBytes(store: ChunkStore, id: string, data: Uint8Array, frame = 100_000, crc = crc32c(data)): Promise<void> {
  const begun = await store.beginPut({ chunkId: id, length: data.length, crc32c: crc });
  if (begun.kind === 'existing') return;
  await writeAll(begun.put, data, frame);
  await begun.put.commit();
}

export async function writeAll(put: ChunkPut, data: Uint8Array, frame = 100_000): Promise<void> {
  for (let off = 0; off < data.length; off += frame) await put.write(data.subarray(off, off + frame));
}

export async function readBytes(store: ChunkStore, id: string, offset = 0, length = 0): Promise<Uint8Array> {
  const { reader, offset: o, length: l } = await store.openRead(id, offset, length);
  try {
    const parts: Uint8Array[] = [];
    let expect = o;
    for await (const f of reader.frames(o, l)) {
      if (f.offset !== expect) throw new Error(`frame at ${f.offset}, expected ${expect}`);
      expect += f.data.length;
      parts.push(f.data);
    }
    const out = new Uint8Array(expect - o);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  } finally {
    await reader.close();
  }
}

/** Every file under `dir`, relative, sorted (directories omitted). */
export function filesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, join(prefix, name)));
    else out.push(join(prefix, name));
  }
  return out;
}

export function errnoError(code: string, message = code): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${code}: ${message}`);
  err.code = code;
  return err;
}

export interface FaultPlan {
  /** Fail a write once this many bytes have been written to new files (writing the part that fits). */
  failWritesAfterBytes?: number;
  writeErrno?: string;
  failSync?: string;
  failRename?: string;
  /** Report this much free space from space(). */
  freeBytes?: number;
}

/** The real filesystem with failures injected according to a mutable plan. */
export function faultyFileSystem(plan: FaultPlan): ChunkFileSystem {
  const base = nodeChunkFileSystem;
  let written = 0;
  const wrap = (file: ChunkFile): ChunkFile => ({
    async write(data, position) {
      const limit = plan.failWritesAfterBytes;
      if (limit !== undefined && written + data.length > limit) {
        const fits = Math.max(0, limit - written);
        await file.write(data.subarray(0, fits), position);
        written += fits;
        throw errnoError(plan.writeErrno ?? 'ENOSPC', 'no space left on device (injected)');
      }
      await file.write(data, position);
      written += data.length;
    },
    read: (into, position) => file.read(into, position),
    async sync() {
      if (plan.failSync) throw errnoError(plan.failSync, 'fsync failed (injected)');
      await file.sync();
    },
    size: () => file.size(),
    close: () => file.close(),
  });
  return {
    ...base,
    create: async (path) => wrap(await base.create(path)),
    async rename(from, to) {
      if (plan.failRename) throw errnoError(plan.failRename, 'rename failed (injected)');
      await base.rename(from, to);
    },
    async space(path) {
      const real = await base.space(path);
      return plan.freeBytes === undefined ? real : { ...real, freeBytes: plan.freeBytes };
    },
  };
}
