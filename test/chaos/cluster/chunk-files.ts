// Bitrot on a data node's disk: flip bytes inside stored chunk files, behind the node's back.
// A chunk file is `data ‖ block checksums ‖ trailer` (services/data/chunk-format.ts) under
// `<node dir>/chunks/<fan-out dirs>/<chunk id>`; the flipped bytes are data bytes (read from the
// trailer's length), so the node's per-block checksums, scrub and the gateway's CRC check are
// what must catch them. Which chunks and which bytes comes from the seed.
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TRAILER_BYTES } from '../../../services/data/chunk-format.ts';
import { SeededRandom } from '../../unit/raft/sim/seeded-random.ts';

/** Bytes flipped in each chosen chunk (distinct offsets when the chunk is long enough). */
export const FLIPPED_BYTES_PER_CHUNK = 4;
/** The trailer's little-endian u64 data length sits at its start. */
const LENGTH_OFFSET_IN_TRAILER = 0;

export interface FlippedChunk {
  chunkId: string;
  path: string;
  /** Offsets (within the data) whose byte was inverted. */
  offsets: number[];
}

/** Paths of every chunk file under a node's directory, sorted (so a seed picks the same ones). */
export async function chunkFiles(nodeDir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path);
      else if (e.isFile() && /^[0-9a-f]+$/.test(e.name)) out.push(path);
    }
  };
  await walk(join(nodeDir, 'chunks'));
  return out.sort();
}

/** Data bytes of a chunk file, from its trailer; undefined for a file too short to hold one. */
async function dataLength(path: string): Promise<number | undefined> {
  const f = await open(path, 'r');
  try {
    const { size } = await f.stat();
    if (size < TRAILER_BYTES) return undefined;
    const trailer = Buffer.alloc(TRAILER_BYTES);
    await f.read(trailer, 0, TRAILER_BYTES, size - TRAILER_BYTES);
    const length = Number(trailer.readBigUInt64LE(LENGTH_OFFSET_IN_TRAILER));
    return length > 0 && length < size ? length : undefined;
  } finally {
    await f.close();
  }
}

/** Inverts the byte at each offset (so each one certainly changes) and syncs. */
async function invertBytes(path: string, offsets: readonly number[]): Promise<void> {
  const f = await open(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    for (const at of offsets) {
      await f.read(b, 0, 1, at);
      b[0] = b[0]! ^ 0xff;
      await f.write(b, 0, 1, at);
    }
    await f.sync();
  } finally {
    await f.close();
  }
}

/**
 * Flips FLIPPED_BYTES_PER_CHUNK data bytes in each of `count` chunks of the node (fewer when
 * it stores fewer), chosen from `seed`. Returns what was changed.
 */
export async function flipChunkBytes(nodeDir: string, count: number, seed: number): Promise<FlippedChunk[]> {
  const rnd = new SeededRandom(seed);
  const files = rnd.shuffle(await chunkFiles(nodeDir));
  const flipped: FlippedChunk[] = [];
  for (const path of files) {
    if (flipped.length >= count) break;
    const f = await flipDataBytes(path, rnd);
    if (f) flipped.push(f);
  }
  return flipped;
}

/** Bitrot in one chunk file: FLIPPED_BYTES_PER_CHUNK data bytes inverted (offsets from `seed`); undefined if it is no chunk file. */
export async function flipChunkFile(path: string, seed: number): Promise<FlippedChunk | undefined> {
  return flipDataBytes(path, new SeededRandom(seed));
}

async function flipDataBytes(path: string, rnd: SeededRandom): Promise<FlippedChunk | undefined> {
  const length = await dataLength(path).catch(() => undefined);
  if (length === undefined) return undefined;
  const offsets = new Set<number>();
  while (offsets.size < Math.min(FLIPPED_BYTES_PER_CHUNK, length)) offsets.add(rnd.int(length));
  const sorted = [...offsets].sort((a, b) => a - b);
  await invertBytes(path, sorted);
  return { chunkId: path.slice(path.lastIndexOf('/') + 1), path, offsets: sorted };
}
