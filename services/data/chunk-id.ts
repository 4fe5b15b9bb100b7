// Chunk ids name files, so they are validated before they touch a path: lowercase hex only
// (no '/', '.', or case aliasing on case-insensitive filesystems), with bounded length.
import { ChunkError } from './chunk-error.ts';

/** 64 bits: shorter ids would collide across a cluster. */
export const MIN_CHUNK_ID_CHARS = 16;
/** 512 bits: room for a hash plus a suffix, still far under any filename limit. */
export const MAX_CHUNK_ID_CHARS = 128;
/**
 * Directory levels above a chunk file, each named by the next FAN_OUT_CHARS of its id. One
 * level of 4096 directories keeps directories small (~2.5k files at 10M chunks) while the
 * first put into a new directory — which costs a mkdir and a parent fsync — stops happening
 * after a few thousand puts; two levels of 256 would keep paying it for the first ~65k.
 */
export const FAN_OUT_LEVELS = 1;
export const FAN_OUT_CHARS = 3;

const LOWER_HEX = /^[0-9a-f]+$/;

export function isValidChunkId(id: string): boolean {
  return id.length >= MIN_CHUNK_ID_CHARS && id.length <= MAX_CHUNK_ID_CHARS && LOWER_HEX.test(id);
}

/** Returns `id` when valid; throws InvalidChunkId with the reason otherwise. */
export function validateChunkId(id: string): string {
  if (isValidChunkId(id)) return id;
  const shown = JSON.stringify(id.length > MAX_CHUNK_ID_CHARS ? `${id.slice(0, MAX_CHUNK_ID_CHARS)}…` : id);
  throw new ChunkError(
    'InvalidChunkId',
    `invalid chunk id ${shown}: want ${MIN_CHUNK_ID_CHARS}..${MAX_CHUNK_ID_CHARS} lowercase hex characters`,
  );
}

/** The fan-out directories of a chunk, e.g. ['abc'] for 'abcd…'. */
export function fanOutDirs(id: string): string[] {
  const dirs: string[] = [];
  for (let level = 0; level < FAN_OUT_LEVELS; level++) {
    dirs.push(id.slice(level * FAN_OUT_CHARS, (level + 1) * FAN_OUT_CHARS));
  }
  return dirs;
}
