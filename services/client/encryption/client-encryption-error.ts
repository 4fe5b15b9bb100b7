// One error type for everything client-side encryption refuses, with a code a program can test.

export type ClientEncryptionErrorCode =
  /** The master key given cannot unwrap this object's content key (a different key, or a tampered envelope). */
  | 'WrongMasterKey'
  /** The object was wrapped by another kind of master key than the one the client holds. */
  | 'MasterKeyMismatch'
  /** The encryption metadata is missing a field or holds one that does not parse. */
  | 'MalformedEnvelope'
  /** A content or wrap algorithm this client does not implement. */
  | 'UnsupportedAlgorithm'
  /** The decrypted bytes do not match the stored plaintext length or MD5: never hand them out as the object. */
  | 'IntegrityCheckFailed'
  /** The object carries no client-side encryption metadata. */
  | 'NotEncrypted'
  /** A caller error: a bad part size, part number, range or key. */
  | 'InvalidArgument'
  /** The KMS refused or failed (the KMS error code is in `cause`). */
  | 'KmsFailure';

export class ClientEncryptionError extends Error {
  constructor(readonly code: ClientEncryptionErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'ClientEncryptionError';
  }
}
