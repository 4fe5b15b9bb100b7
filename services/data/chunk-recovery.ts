// Startup recovery, run before the store serves anything: removes leftover temp files (puts
// cut short by a crash) and chunk files without an index entry (a put that crashed between
// rename and index write, or a delete that crashed between index removal and unlink). Both
// were never acknowledged as stored, so removing them is always safe.
import { FAN_OUT_CHARS, FAN_OUT_LEVELS, fanOutDirs, isValidChunkId } from './chunk-id.ts';
import type { ChunkFileSystem } from './chunk-file-system.ts';
import type { ChunkIndex } from './chunk-index.ts';
import { join } from 'node:path';

export interface ChunkStoreLayout {
  chunksDir: string;
  tmpDir: string;
  indexDir: string;
}

export interface RecoveryReport {
  tempFilesRemoved: number;
  orphanFilesRemoved: number;
  /** Paths (relative to chunksDir) that are not ours; left alone and reported. */
  unknownEntries: string[];
}

/** Index lookups per getMany while sweeping a directory. */
const SWEEP_LOOKUP_BATCH = 512;
const FAN_OUT_NAME = new RegExp(`^[0-9a-f]{${FAN_OUT_CHARS}}$`);

export async function recoverChunkDir(
  fs: ChunkFileSystem,
  layout: ChunkStoreLayout,
  index: ChunkIndex,
): Promise<RecoveryReport> {
  const report: RecoveryReport = { tempFilesRemoved: 0, orphanFilesRemoved: 0, unknownEntries: [] };
  for (const name of await fs.readdir(layout.tmpDir)) {
    await fs.unlink(join(layout.tmpDir, name));
    report.tempFilesRemoved++;
  }
  if (report.tempFilesRemoved > 0) await fs.syncDir(layout.tmpDir);
  await sweepLevel(fs, layout.chunksDir, [], index, report);
  return report;
}

async function sweepLevel(
  fs: ChunkFileSystem,
  dir: string,
  prefix: string[],
  index: ChunkIndex,
  report: RecoveryReport,
): Promise<void> {
  const names = (await fs.readdir(dir)).sort();
  if (prefix.length < FAN_OUT_LEVELS) {
    for (const name of names) {
      if (FAN_OUT_NAME.test(name)) await sweepLevel(fs, join(dir, name), [...prefix, name], index, report);
      else report.unknownEntries.push(join(...prefix, name));
    }
    return;
  }
  const candidates: string[] = [];
  for (const name of names) {
    const belongsHere = isValidChunkId(name) && fanOutDirs(name).join('/') === prefix.join('/');
    if (belongsHere) candidates.push(name);
    else report.unknownEntries.push(join(...prefix, name));
  }
  for (let i = 0; i < candidates.length; i += SWEEP_LOOKUP_BATCH) {
    const ids = candidates.slice(i, i + SWEEP_LOOKUP_BATCH);
    const indexed = await index.hasMany(ids);
    for (let j = 0; j < ids.length; j++) {
      if (indexed[j]) continue;
      await fs.unlink(join(dir, ids[j]!));
      report.orphanFilesRemoved++;
    }
  }
}
