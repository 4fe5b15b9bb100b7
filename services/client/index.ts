// zonestore's client SDK: client-side encryption in the OSS format (docs/client-encryption.md).
export { EncryptionClient, GCM_MAX_PLAINTEXT_BYTES, type EncryptionClientOptions, type PlaintextStream } from './encryption-client.ts';
export { EncryptedMultipartUpload, MAX_PART_COUNT } from './encrypted-multipart-upload.ts';
export { uploadFile, downloadFile, DEFAULT_PART_SIZE, type ProgressListener } from './file-transfer.ts';
export { RsaMasterKey, type RsaMasterKeyOptions } from './encryption/rsa-master-key.ts';
export { AesMasterKey } from './encryption/aes-master-key.ts';
export { KmsMasterKey } from './encryption/kms-master-key.ts';
export type { MasterKey, ContentKey } from './encryption/master-key.ts';
export { ClientEncryptionError, type ClientEncryptionErrorCode } from './encryption/client-encryption-error.ts';
export {
  ENVELOPE_META, CEK_ALG_AES_CTR, CEK_ALG_AES_GCM, type ContentAlgorithm, WRAP_ALG_RSA, WRAP_ALG_KMS, WRAP_ALG_AES_GCM, decodeEnvelope, encodeEnvelope, type Envelope,
} from './encryption/envelope-headers.ts';
export { KmsJsonClient, KmsRequestError, KMS_API_PATH } from './kms/kms-json-client.ts';
export { SignedHttpTransport, type TransportOptions } from './http/signed-http-transport.ts';
export type { Credentials } from './http/sigv4-request-signer.ts';
export { S3ObjectClient, S3Error, type ByteRange } from './s3/s3-object-client.ts';
