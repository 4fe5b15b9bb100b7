// Writing a measured run's objects and reading every one back through the S3 API (issue #9).
// A read is judged byte for byte against the object's seeded bytes: intact, unreadable (the
// gateway refused or the body broke off — loud, which is what an unrebuildable object must be),
// or wrong bytes (a complete answer that is not the object: the one outcome never allowed).
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, PutObjectCommand, UploadPartCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { TaskLimit } from '../../../services/gateway/repair/task-limit.ts';
import { objectBody, objectParts, type PlannedObject } from './object-set.ts';

export interface FailedObject {
  readonly key: string;
  readonly error: string;
}

export interface VerifyReport {
  readonly checked: number;
  readonly intact: number;
  readonly unreadable: FailedObject[];
  readonly wrongBytes: FailedObject[];
}

async function forEachLimited<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  const limit = new TaskLimit(concurrency);
  await Promise.all(items.map((item) => limit.run(() => fn(item))));
}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return `${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(err)}`;
}

async function putOne(s3: S3Client, bucket: string, o: PlannedObject): Promise<void> {
  const parts = objectParts(o);
  if (parts.length === 1) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: parts[0] }));
    return;
  }
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: o.key }));
  const done = [];
  for (const [i, body] of parts.entries()) {
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: o.key, UploadId, PartNumber: i + 1, Body: body }));
    done.push({ ETag, PartNumber: i + 1 });
  }
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: o.key, UploadId, MultipartUpload: { Parts: done } }));
}

/** Writes every object (clients taken in turn); returns those that could not be written. */
export async function writeObjects(clients: readonly S3Client[], bucket: string, objects: readonly PlannedObject[], o: {
  concurrency: number; onDone?: (o: PlannedObject) => void;
}): Promise<FailedObject[]> {
  const failed: FailedObject[] = [];
  let turn = 0;
  await forEachLimited(objects, o.concurrency, async (obj) => {
    try {
      await putOne(clients[turn++ % clients.length]!, bucket, obj);
    } catch (err) {
      failed.push({ key: obj.key, error: describe(err) });
    }
    o.onDone?.(obj);
  });
  return failed;
}

async function readOne(s3: S3Client, bucket: string, o: PlannedObject): Promise<'intact' | { unreadable: string } | { wrong: string }> {
  let got: Buffer;
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.key }));
    if (!res.Body) return { unreadable: 'no body' };
    got = Buffer.from(await res.Body.transformToByteArray());
  } catch (err) {
    return { unreadable: describe(err) };
  }
  const want = objectBody(o);
  if (got.length !== want.length) return { wrong: `${got.length} bytes read, ${want.length} written` };
  if (!got.equals(want)) {
    let at = 0;
    while (got[at] === want[at]) at++;
    return { wrong: `bytes differ from offset ${at}` };
  }
  return 'intact';
}

/** Reads every object back (clients taken in turn) and compares it byte for byte. */
export async function verifyObjects(clients: readonly S3Client[], bucket: string, objects: readonly PlannedObject[], o: {
  concurrency: number; onDone?: (o: PlannedObject) => void;
}): Promise<VerifyReport> {
  let intact = 0;
  const unreadable: FailedObject[] = [];
  const wrongBytes: FailedObject[] = [];
  let turn = 0;
  await forEachLimited(objects, o.concurrency, async (obj) => {
    const r = await readOne(clients[turn++ % clients.length]!, bucket, obj);
    if (r === 'intact') intact++;
    else if ('unreadable' in r) unreadable.push({ key: obj.key, error: r.unreadable });
    else wrongBytes.push({ key: obj.key, error: r.wrong });
    o.onDone?.(obj);
  });
  const byKey = (a: FailedObject, b: FailedObject) => a.key.localeCompare(b.key);
  return { checked: objects.length, intact, unreadable: unreadable.sort(byKey), wrongBytes: wrongBytes.sort(byKey) };
}
