// Turns sealed write-ahead files into log objects in their target buckets. One object per
// (target bucket, prefix, format, logged bucket) per sealed file, named
// `<prefix><bucket>YYYY-mm-DD-HH-MM-SS-<unique>` where <unique> is the sealed file's name and a
// digest of the group: delivering a file twice (a crash after some objects were stored)
// rewrites the same keys, so records are delivered at least once and appear once.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { isStoreError } from '../errors/store-error.ts';
import { formatLine, logObjectKey } from './access-log-record.ts';
import { AccessLogWal, type SealedFile, type WalEntry } from './access-log-wal.ts';

export interface LogObject {
  targetBucket: string;
  key: string;
  body: Buffer;
  records: number;
}

/** The objects one sealed file becomes (pure). */
export function logObjectsOf(file: Pick<SealedFile, 'name'>, entries: readonly WalEntry[]): LogObject[] {
  const groups = new Map<string, WalEntry[]>();
  for (const e of entries) {
    const g = JSON.stringify([e.targetBucket, e.targetPrefix, e.format, e.record.bucket || e.record.kind]);
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(e);
  }
  const out: LogObject[] = [];
  for (const [g, list] of groups) {
    const first = list[0]!;
    const digest = createHash('sha256').update(g).digest('hex').slice(0, 8);
    const sourceName = first.record.bucket || first.record.kind;
    out.push({
      targetBucket: first.targetBucket,
      key: logObjectKey(first.targetPrefix, sourceName, Math.min(...list.map((e) => e.record.timeMs)), `${file.name}-${digest}`),
      body: Buffer.from(list.map((e) => `${formatLine(e.record, e.format)}\n`).join(''), 'utf8'),
      records: list.length,
    });
  }
  return out;
}

export type ObjectWriter = (bucket: string, key: string, body: Buffer) => Promise<void>;

/**
 * Delivers every sealed file, oldest first; a file is removed only when all its objects are
 * stored. A target bucket that no longer exists drops its objects (with a warning): there is
 * nowhere left to deliver them. Any other failure keeps the file for the next round.
 */
export async function deliverSealed(wal: AccessLogWal, write: ObjectWriter, log: Logger): Promise<{ objects: number; records: number }> {
  let objects = 0;
  let records = 0;
  for (const file of wal.sealed()) {
    for (const o of logObjectsOf(file, AccessLogWal.read(file.path))) {
      try {
        await write(o.targetBucket, o.key, o.body);
        objects += 1;
        records += o.records;
      } catch (err) {
        if (!isStoreError(err, 'NoSuchBucket')) throw err;
        log.warn({ targetBucket: o.targetBucket, records: o.records }, 'access log target bucket is gone: records dropped');
      }
    }
    AccessLogWal.remove(file);
  }
  return { objects, records };
}
