// A multipart upload of one client-side encrypted object. The content key and IV are made when
// the upload starts and live only in this object (as in the OSS clients' multipart context);
// part n is enciphered from object offset (n - 1) × partSize, so the parts join into one CTR
// stream and the object decrypts as if it had been uploaded in one piece.
import { ClientEncryptionError } from './encryption/client-encryption-error.ts';
import { ctrTransformAt } from './encryption/content-cipher.ts';
import { assertPartSize, partOffset } from './encryption/ctr-counter.ts';
import { CEK_ALG_AES_CTR, encodeEnvelope, type Envelope } from './encryption/envelope-headers.ts';
import type { ContentKey, MasterKey } from './encryption/master-key.ts';
import type { CompletedPart, S3ObjectClient } from './s3/s3-object-client.ts';

/** S3's ceiling on part numbers. */
export const MAX_PART_COUNT = 10_000;

export class EncryptedMultipartUpload {
  private readonly etags = new Map<number, string>();
  readonly partCount: number;

  private constructor(
    private readonly s3: S3ObjectClient, private readonly contentKey: ContentKey,
    readonly bucket: string, readonly key: string, readonly uploadId: string,
    readonly dataSize: number, readonly partSize: number, readonly envelope: Envelope,
  ) {
    this.partCount = Math.max(1, Math.ceil(dataSize / partSize));
  }

  static async start(s3: S3ObjectClient, masterKey: MasterKey, bucket: string, key: string,
    o: { dataSize: number; partSize: number; unencryptedContentMd5?: string; contentType?: string }): Promise<EncryptedMultipartUpload> {
    try {
      assertPartSize(o.partSize);
    } catch (err) {
      throw new ClientEncryptionError('InvalidArgument', (err as Error).message);
    }
    if (!Number.isSafeInteger(o.dataSize) || o.dataSize < 0) throw new ClientEncryptionError('InvalidArgument', `data size ${o.dataSize} is not a byte count`);
    if (Math.ceil(o.dataSize / o.partSize) > MAX_PART_COUNT) throw new ClientEncryptionError('InvalidArgument', `${o.dataSize} bytes in parts of ${o.partSize} is more than ${MAX_PART_COUNT} parts`);
    const { key: contentKey, wrapped } = await masterKey.newContentKey();
    const envelope: Envelope = {
      ...wrapped, cekAlgorithm: CEK_ALG_AES_CTR, wrapAlgorithm: masterKey.wrapAlgorithm, matDesc: masterKey.matDesc,
      dataSize: o.dataSize, partSize: o.partSize, unencryptedContentLength: o.dataSize,
      ...(o.unencryptedContentMd5 !== undefined ? { unencryptedContentMd5: o.unencryptedContentMd5 } : {}),
    };
    const uploadId = await s3.createMultipartUpload(bucket, key, { metadata: encodeEnvelope(envelope), ...(o.contentType ? { contentType: o.contentType } : {}) });
    return new EncryptedMultipartUpload(s3, contentKey, bucket, key, uploadId, o.dataSize, o.partSize, envelope);
  }

  /** The plaintext bytes part `partNumber` must hold. */
  partLength(partNumber: number): number {
    if (!Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > this.partCount) {
      throw new ClientEncryptionError('InvalidArgument', `part ${partNumber} is not one of the upload's parts 1..${this.partCount}`);
    }
    return partNumber < this.partCount ? this.partSize : this.dataSize - partOffset(partNumber, this.partSize);
  }

  /** Encrypts and uploads one part; parts may go in any order and in parallel. */
  async uploadPart(partNumber: number, plaintext: Uint8Array): Promise<void> {
    const expected = this.partLength(partNumber);
    if (plaintext.length !== expected) {
      throw new ClientEncryptionError('InvalidArgument', `part ${partNumber} must be ${expected} bytes (part size ${this.partSize}, data size ${this.dataSize}), not ${plaintext.length}`);
    }
    const ciphertext = ctrTransformAt(this.contentKey, partOffset(partNumber, this.partSize), plaintext);
    this.etags.set(partNumber, await this.s3.uploadPart(this.bucket, this.key, this.uploadId, partNumber, ciphertext));
  }

  async complete(): Promise<{ etag: string }> {
    const parts: CompletedPart[] = [];
    for (let n = 1; n <= this.partCount; n++) {
      const etag = this.etags.get(n);
      if (etag === undefined) throw new ClientEncryptionError('InvalidArgument', `part ${n} of ${this.partCount} was not uploaded`);
      parts.push({ partNumber: n, etag });
    }
    return this.s3.completeMultipartUpload(this.bucket, this.key, this.uploadId, parts);
  }

  async abort(): Promise<void> {
    await this.s3.abortMultipartUpload(this.bucket, this.key, this.uploadId);
  }
}
