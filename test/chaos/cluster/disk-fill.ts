// Full disks for the chaos harness. Filling the machine's real disk is not an option, so as root
// every data node directory gets its own small tmpfs before its zone starts (the node then sizes
// itself from that filesystem); "disk full" is a file written next to the chunks until ENOSPC,
// and healing deletes it. Without root there are no mounts and disk-full faults are refused
// with a clear error. Mounts are undone at stop, and lazily at process exit as a backstop.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Size of each data node's tmpfs: room for a chaos workload's multipart values (GC frees
 * overwritten ones), small enough to fill in a blink; RAM is used only for what is written.
 */
export const DEFAULT_DATA_NODE_DISK_BYTES = 256 * 1024 * 1024;
/** The file that fills a disk (not a chunk: its name is not hex, so the node ignores it). */
export const DISK_FILL_FILE = 'chaos-disk-fill';
const FILL_WRITE_BYTES = 1024 * 1024;
/** mount/umount get this long each. */
const MOUNT_TIMEOUT_MS = 10_000;

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export class DiskFullNeedsRootError extends Error {
  constructor(what: string) {
    super(`${what} needs root: full disks are simulated on a tmpfs per data node, which only root can mount (CI runs as root)`);
  }
}

const mounted = new Set<string>();
let exitHookInstalled = false;

/** Mounts a tmpfs of `bytes` at `dir` (created when missing). Root only. */
export function mountTmpfs(dir: string, bytes: number): void {
  if (!isRoot()) throw new DiskFullNeedsRootError('mounting a data node disk');
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0755`, 'tmpfs', dir], { timeout: MOUNT_TIMEOUT_MS, stdio: 'pipe' });
  mounted.add(dir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A harness killed mid-run must not leave mounts behind in the temp dir.
    process.on('exit', () => {
      for (const d of mounted) {
        try {
          execFileSync('umount', ['-l', d], { timeout: MOUNT_TIMEOUT_MS, stdio: 'ignore' });
        } catch { /* best effort */ }
      }
    });
  }
}

/** Unmounts (lazily if busy); the directory stays, empty. */
export function unmountTmpfs(dir: string): void {
  if (!mounted.has(dir)) return;
  try {
    execFileSync('umount', [dir], { timeout: MOUNT_TIMEOUT_MS, stdio: 'pipe' });
  } catch {
    execFileSync('umount', ['-l', dir], { timeout: MOUNT_TIMEOUT_MS, stdio: 'pipe' });
  }
  mounted.delete(dir);
}

export function isTmpfsMounted(dir: string): boolean {
  return mounted.has(dir);
}

/** Writes DISK_FILL_FILE in `dir` until the filesystem refuses (ENOSPC); returns bytes written. */
export async function fillDisk(dir: string): Promise<number> {
  if (!mounted.has(dir)) {
    throw isRoot() ? new Error(`${dir} has no tmpfs of its own to fill (the cluster was started without disks)`) : new DiskFullNeedsRootError('disk-full');
  }
  const { blocks, bsize } = await statfs(dir);
  // Bounded by the filesystem's size: a filesystem that never says ENOSPC is an error, not a hang.
  const limit = blocks * bsize + FILL_WRITE_BYTES;
  const block = Buffer.alloc(FILL_WRITE_BYTES, 0x5a);
  const f = await open(join(dir, DISK_FILL_FILE), 'a');
  let written = 0;
  try {
    // A short write is followed by one that fails with ENOSPC.
    while (written <= limit) {
      try {
        written += (await f.write(block, 0, block.length)).bytesWritten;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return written;
        throw err;
      }
    }
    throw new Error(`${dir}: wrote ${written} bytes without running out of space`);
  } finally {
    await f.close();
  }
}

/** Removes the fill file (healing a full disk); nothing to do when there is none. */
export async function unfillDisk(dir: string): Promise<void> {
  await rm(join(dir, DISK_FILL_FILE), { force: true });
}

/** Empties a directory but keeps it (it may be a mount point): a lost disk. */
export function wipeDirectory(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) rmSync(join(dir, e), { recursive: true, force: true });
}
