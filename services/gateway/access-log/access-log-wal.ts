// The gateway's local, append-only write-ahead file of access-log records, so that no record
// is lost when the gateway process dies between a response and the next delivery.
//
// Guarantee: a record is written to the file (write(2), synchronously, on the request's
// 'close') before the gateway does anything else; from then on it survives the gateway
// process being killed (kill -9: the bytes are in the kernel's page cache). fdatasync follows
// in batches at most SYNC_DELAY_MS later, after which it also survives a machine crash. The
// window that can lose a record is therefore: a process crash between the response's last
// byte and its 'close' event (the same event-loop turn), or a machine crash within
// SYNC_DELAY_MS of the response. Records are JSON lines; a torn last line is skipped on replay.
//
// Delivery seals the live file (rename to `sealed-<n>.wal`), opens a fresh one, and deletes
// a sealed file only after all its objects are stored; sealed files left by a crash are
// delivered again on restart (at least once; the object keys are derived from the file, so a
// redelivery rewrites the same keys rather than adding duplicates).
import { closeSync, fdatasync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessLogRecord, AccessLogFormat } from './access-log-record.ts';

const LIVE = 'live.wal';
const SEALED = /^sealed-(\d+)-([0-9a-z]+)\.wal$/;
export const SYNC_DELAY_MS = 20;

/** A record with where it is delivered. */
export interface WalEntry {
  record: AccessLogRecord;
  targetBucket: string;
  targetPrefix: string;
  format: AccessLogFormat;
}

export interface SealedFile {
  path: string;
  /** Unique within this WAL directory, stable across restarts: log object keys end with it. */
  name: string;
  seq: number;
}

export class AccessLogWal {
  private fd: number;
  private syncTimer: NodeJS.Timeout | undefined;
  private nextSeq: number;

  constructor(private readonly dir: string, private readonly gatewayTag: string) {
    mkdirSync(dir, { recursive: true });
    this.nextSeq = Math.max(0, ...this.sealed().map((s) => s.seq)) + 1;
    this.fd = openSync(join(dir, LIVE), 'a');
  }

  append(entry: WalEntry): void {
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.syncTimer ??= setTimeout(() => {
      this.syncTimer = undefined;
      fdatasync(this.fd, () => {});
    }, SYNC_DELAY_MS);
  }

  /** Closes the live file into a sealed one (if it holds anything) and starts a fresh live file. */
  seal(): void {
    this.syncNow();
    closeSync(this.fd);
    const live = join(this.dir, LIVE);
    if (readFileSync(live).length > 0) {
      renameSync(live, join(this.dir, `sealed-${this.nextSeq}-${this.gatewayTag}.wal`));
      this.nextSeq += 1;
      fsyncDir(this.dir);
    }
    this.fd = openSync(live, 'a');
  }

  /** Sealed files awaiting delivery, oldest first. */
  sealed(): SealedFile[] {
    const out: SealedFile[] = [];
    for (const name of readdirSync(this.dir)) {
      const m = SEALED.exec(name);
      if (m) out.push({ path: join(this.dir, name), name: `${m[2]}${m[1]}`, seq: Number(m[1]) });
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** The entries of a sealed file; a torn (partially written) line is skipped. */
  static read(path: string): WalEntry[] {
    const out: WalEntry[] = [];
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line === '') continue;
      try {
        out.push(JSON.parse(line) as WalEntry);
      } catch {
        // A crash mid-write leaves at most one torn line, always the last of a file.
      }
    }
    return out;
  }

  static remove(file: SealedFile): void {
    rmSync(file.path, { force: true });
  }

  syncNow(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    fsyncSync(this.fd);
  }

  close(): void {
    this.syncNow();
    closeSync(this.fd);
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
