// Files to and from encrypted objects, in bounded memory: a file up to one part goes in a single
// PUT, a larger one as a multipart upload read part by part (an MD5 pre-pass first, so the
// object records the plaintext MD5 and whole downloads verify). A download is written to a
// temporary file beside the target and renamed only once the plaintext has verified, so a
// wrong key or a changed object never leaves garbage under the target's name. AES-GCM objects
// have one tag over the whole object, so they always go in one PUT.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EncryptionClient } from './encryption-client.ts';
import { ClientEncryptionError } from './encryption/client-encryption-error.ts';
import { CEK_ALG_AES_CTR, CEK_ALG_AES_GCM } from './encryption/envelope-headers.ts';
import type { ByteRange } from './s3/s3-object-client.ts';

/** 8 MiB: above S3's 5 MiB minimum part, a multiple of 16. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** Parts in flight at once (memory: this × part size, twice over for the ciphertext). */
export const DEFAULT_PART_CONCURRENCY = 4;
/** AES-GCM objects go in one PUT, so in memory whole: a bound on what that may take. */
export const GCM_MAX_FILE_BYTES = 1024 ** 3;

export type ProgressListener = (doneBytes: number, totalBytes: number) => void;

export async function uploadFile(client: EncryptionClient, bucket: string, key: string, path: string,
  o: { partSize?: number; concurrency?: number; contentType?: string; onProgress?: ProgressListener } = {}): Promise<{ etag: string; size: number; multipart: boolean }> {
  const partSize = o.partSize ?? DEFAULT_PART_SIZE;
  const size = (await stat(path)).size;
  const progress = o.onProgress ?? (() => {});
  const gcm = client.contentAlgorithm === CEK_ALG_AES_GCM;
  if (gcm && size > GCM_MAX_FILE_BYTES) {
    throw new ClientEncryptionError('InvalidArgument', `${path} is ${size} bytes: ${CEK_ALG_AES_GCM} objects go in one PUT, at most ${GCM_MAX_FILE_BYTES} bytes here; use ${CEK_ALG_AES_CTR} (multipart) for larger files`);
  }
  if (size <= partSize || gcm) {
    const fh = await open(path, 'r');
    let data: Buffer;
    try { data = await fh.readFile(); } finally { await fh.close(); }
    const { etag } = await client.putObject(bucket, key, data, o.contentType ? { contentType: o.contentType } : {});
    progress(size, size);
    return { etag, size, multipart: false };
  }
  const md5 = createHash('md5');
  await pipeline(createReadStream(path), md5);
  const upload = await client.createMultipartUpload(bucket, key, {
    dataSize: size, partSize, unencryptedContentMd5: md5.digest('base64'), ...(o.contentType ? { contentType: o.contentType } : {}),
  });
  const fh = await open(path, 'r');
  let done = 0;
  try {
    let next = 1;
    const worker = async (): Promise<void> => {
      while (next <= upload.partCount) {
        const n = next++;
        const length = upload.partLength(n);
        const buf = Buffer.allocUnsafe(length);
        const { bytesRead } = await fh.read(buf, 0, length, (n - 1) * partSize);
        if (bytesRead !== length) throw new Error(`${path} changed while it was uploaded (short read of part ${n})`);
        await upload.uploadPart(n, buf);
        done += length;
        progress(done, size);
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.concurrency ?? DEFAULT_PART_CONCURRENCY, upload.partCount) }, worker));
    const { etag } = await upload.complete();
    return { etag, size, multipart: true };
  } catch (err) {
    await upload.abort().catch(() => {});
    throw err;
  } finally {
    await fh.close();
  }
}

export async function downloadFile(client: EncryptionClient, bucket: string, key: string, path: string,
  o: { range?: ByteRange; onProgress?: ProgressListener } = {}): Promise<{ size: number; verified: boolean }> {
  const s = await client.getObjectStream(bucket, key, o.range ? { range: o.range } : {});
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
  let done = 0;
  const progress = o.onProgress ?? (() => {});
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      done += chunk.length;
      progress(done, s.length);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(s.body, counter, createWriteStream(temp, { mode: 0o600 }));
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  progress(s.length, s.length);
  return { size: done, verified: s.verified };
}
