// The client-side encryption client: objects are enciphered before they leave the process and
// deciphered after they arrive, in the OSS client-side encryption format (AES-256-CTR content,
// the content key wrapped by the caller's master key, the envelope in user metadata). The
// gateway only ever sees ciphertext and wrapped keys.
//
//   const client = new EncryptionClient({ endpoint, credentials, masterKey: new RsaMasterKey({ privateKeyPem }) });
//   await client.putObject('bucket', 'key', Buffer.from('secret'));
//   const plain = await client.getObject('bucket', 'key', { range: { start: 2, end: 4 } });
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { SignedHttpTransport, type TransportOptions } from './http/signed-http-transport.ts';
import { S3Error, S3ObjectClient, type ByteRange, type ObjectStream } from './s3/s3-object-client.ts';
import { ClientEncryptionError } from './encryption/client-encryption-error.ts';
import { alignRangeStart } from './encryption/ctr-counter.ts';
import { CtrDecryptStream, ctrTransformAt, GcmDecryptStream, gcmRangeKey, gcmSeal, type PlaintextCheck } from './encryption/content-cipher.ts';
import {
  CEK_ALG_AES_CTR, CEK_ALG_AES_GCM, decodeEnvelope, encodeEnvelope, GCM_TAG_BYTES, isEncryptedMeta, plaintextSizeOf, type ContentAlgorithm, type Envelope,
} from './encryption/envelope-headers.ts';
import { chooseMasterKey, type MasterKey } from './encryption/master-key.ts';
import { EncryptedMultipartUpload } from './encrypted-multipart-upload.ts';

export interface EncryptionClientOptions extends TransportOptions {
  masterKey: MasterKey;
  /**
   * Further keys that only read (e.g. last year's RSA pair): each object is unwrapped with the key
   * whose wrap algorithm and material description match its envelope (the OSS clients' rule).
   */
  decryptionKeys?: MasterKey[];
  /**
   * What new objects are written with: AES/CTR/NoPadding (default; the OSS format, multipart and
   * ranges) or AES/GCM/NoPadding (authenticated whole reads; single PUT only; OSS clients cannot
   * read it). Reads follow each object's own cek-alg.
   */
  contentAlgorithm?: ContentAlgorithm;
}

/** GCM's limit on one message: 2^32 − 2 blocks. */
export const GCM_MAX_PLAINTEXT_BYTES = (2 ** 32 - 2) * 16;

export interface PlaintextStream {
  /** Plaintext bytes; errors with IntegrityCheckFailed at the end of a whole-object read that does not verify. */
  body: Readable;
  /** Plaintext bytes the stream will carry. */
  length: number;
  /** The plaintext size of the whole object. */
  objectSize: number;
  envelope: Envelope;
  /** Whether the stream is checked against the stored length and MD5 (whole-object reads with an MD5 recorded). */
  verified: boolean;
}

export class EncryptionClient {
  readonly s3: S3ObjectClient;
  readonly masterKey: MasterKey;
  readonly contentAlgorithm: ContentAlgorithm;
  private readonly keys: MasterKey[];
  private readonly transport: SignedHttpTransport;

  constructor(o: EncryptionClientOptions) {
    this.transport = new SignedHttpTransport(o);
    this.s3 = new S3ObjectClient(this.transport);
    this.masterKey = o.masterKey;
    this.keys = [o.masterKey, ...(o.decryptionKeys ?? [])];
    this.contentAlgorithm = o.contentAlgorithm ?? CEK_ALG_AES_CTR;
    if (this.contentAlgorithm !== CEK_ALG_AES_CTR && this.contentAlgorithm !== CEK_ALG_AES_GCM) {
      throw new ClientEncryptionError('UnsupportedAlgorithm', `content algorithm ${String(this.contentAlgorithm)} is not one of ${CEK_ALG_AES_CTR}, ${CEK_ALG_AES_GCM}`);
    }
  }

  /** Encrypts `data` under a fresh content key and stores it with its envelope. */
  async putObject(bucket: string, key: string, data: Uint8Array, o: { contentType?: string } = {}): Promise<{ etag: string; envelope: Envelope }> {
    const gcm = this.contentAlgorithm === CEK_ALG_AES_GCM;
    if (gcm && data.length > GCM_MAX_PLAINTEXT_BYTES) throw new ClientEncryptionError('InvalidArgument', `AES-GCM encrypts at most ${GCM_MAX_PLAINTEXT_BYTES} bytes in one object`);
    const { key: contentKey, wrapped } = await this.masterKey.newContentKey(this.contentAlgorithm);
    const envelope: Envelope = {
      ...wrapped, cekAlgorithm: this.contentAlgorithm, wrapAlgorithm: this.masterKey.wrapAlgorithm, matDesc: this.masterKey.matDesc,
      unencryptedContentLength: data.length, unencryptedContentMd5: createHash('md5').update(data).digest('base64'),
    };
    const body = gcm ? gcmSeal(contentKey, data) : ctrTransformAt(contentKey, 0, data);
    const { etag } = await this.s3.putObject(bucket, key, body, { metadata: encodeEnvelope(envelope), ...o });
    return { etag, envelope };
  }

  /**
   * Starts a multipart upload of `dataSize` plaintext bytes in parts of `partSize` (a multiple
   * of 16; every part but the last exactly that size). `unencryptedContentMd5` (base64), when
   * the caller knows it up front, lets every later whole-object read be verified.
   */
  async createMultipartUpload(bucket: string, key: string, o: { dataSize: number; partSize: number; unencryptedContentMd5?: string; contentType?: string }): Promise<EncryptedMultipartUpload> {
    if (this.contentAlgorithm !== CEK_ALG_AES_CTR) {
      throw new ClientEncryptionError('InvalidArgument', `multipart uploads need ${CEK_ALG_AES_CTR}: ${this.contentAlgorithm} has one tag over the whole object, which parts uploaded in parallel cannot share`);
    }
    return EncryptedMultipartUpload.start(this.s3, this.masterKey, bucket, key, o);
  }

  /** The whole object, or the plaintext bytes `range.start`..`range.end` (inclusive), decrypted. */
  async getObject(bucket: string, key: string, o: { range?: ByteRange } = {}): Promise<Buffer> {
    const s = await this.getObjectStream(bucket, key, o);
    const chunks: Buffer[] = [];
    for await (const c of s.body) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  /** The envelope of a stored object (HEAD), or NotEncrypted. */
  async headEnvelope(bucket: string, key: string): Promise<{ envelope: Envelope; size: number }> {
    const head = await this.s3.headObject(bucket, key);
    return { envelope: envelopeOf(head.metadata, bucket, key), size: head.size };
  }

  async getObjectStream(bucket: string, key: string, o: { range?: ByteRange } = {}): Promise<PlaintextStream> {
    const range = o.range;
    if (range && (!Number.isSafeInteger(range.start) || range.start < 0 || (range.end !== undefined && (!Number.isSafeInteger(range.end) || range.end < range.start)))) {
      throw new ClientEncryptionError('InvalidArgument', `bad range ${range.start}-${range.end ?? ''}`);
    }
    const aligned = alignRangeStart(range?.start ?? 0);
    // One GET carries both the envelope and the bytes, so an object replaced in between can
    // never be deciphered with the previous object's key.
    let res: ObjectStream;
    try {
      res = await this.s3.getObject(bucket, key, range ? { start: aligned.fetchStart, ...(range.end !== undefined ? { end: range.end } : {}) } : undefined);
    } catch (err) {
      if (err instanceof S3Error && err.status === 416) throw new ClientEncryptionError('InvalidArgument', `range start ${range?.start} is past the end of ${bucket}/${key}`, { cause: err });
      throw err;
    }
    try {
      const envelope = envelopeOf(res.metadata, bucket, key);
      const gcm = envelope.cekAlgorithm === CEK_ALG_AES_GCM;
      if (!gcm && envelope.cekAlgorithm !== CEK_ALG_AES_CTR) {
        throw new ClientEncryptionError('UnsupportedAlgorithm', `content algorithm ${envelope.cekAlgorithm} is not supported (${CEK_ALG_AES_CTR}, ${CEK_ALG_AES_GCM})`);
      }
      const contentKey = await chooseMasterKey(envelope, this.keys).unwrap(envelope);
      // A GCM object stores its tag after the ciphertext.
      const size = res.totalSize - (gcm ? GCM_TAG_BYTES : 0);
      if (size < 0) throw new ClientEncryptionError('IntegrityCheckFailed', 'the object is shorter than an AES-GCM tag');
      if (range && range.start >= size) throw new ClientEncryptionError('InvalidArgument', `range start ${range.start} is past the object's ${size} bytes`);
      const recorded = plaintextSizeOf(envelope);
      if (recorded !== undefined && recorded !== size) {
        throw new ClientEncryptionError('IntegrityCheckFailed', `the stored object is ${size} bytes, the plaintext was ${recorded}: it was truncated or replaced`);
      }
      const fetchStart = range ? aligned.fetchStart : 0;
      if (res.rangeStart !== fetchStart) throw new ClientEncryptionError('IntegrityCheckFailed', `asked for bytes from ${fetchStart}, the server sent them from ${res.rangeStart}`);
      const start = range?.start ?? 0;
      const length = size === 0 ? 0 : Math.min(range?.end ?? size - 1, size - 1) - start + 1;
      const check: PlaintextCheck = range ? {} : {
        ...(envelope.unencryptedContentMd5 !== undefined ? { md5: envelope.unencryptedContentMd5 } : {}),
        ...(recorded !== undefined ? { length: recorded } : {}),
      };
      // GCM: a whole read checks the tag; a range is read as the CTR stream inside GCM, unauthenticated.
      const decrypt = gcm && !range ? new GcmDecryptStream(contentKey, check)
        : new CtrDecryptStream(gcm ? gcmRangeKey(contentKey) : contentKey, fetchStart, range ? aligned.skip : 0, length, check);
      res.body.on('error', (err) => decrypt.destroy(err));
      res.body.pipe(decrypt);
      return { body: decrypt, length, objectSize: size, envelope, verified: gcm ? !range : check.md5 !== undefined };
    } catch (err) {
      res.body.destroy();
      throw err;
    }
  }

  close(): void {
    this.transport.close();
  }
}

function envelopeOf(meta: Record<string, string>, bucket: string, key: string): Envelope {
  if (!isEncryptedMeta(meta)) throw new ClientEncryptionError('NotEncrypted', `${bucket}/${key} has no client-side encryption metadata`);
  return decodeEnvelope(meta);
}
