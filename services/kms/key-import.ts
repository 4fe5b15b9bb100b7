// BYOK: GetParametersForImport hands out an RSA public key (DER SubjectPublicKeyInfo) and an
// import token; the customer wraps 32 bytes of material with RSAES-OAEP (SHA-256 or SHA-1)
// and ImportKeyMaterial unwraps it here with the private key (kept in meta wrapped by the root key).
import { constants, createPrivateKey, generateKeyPair, privateDecrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { KmsError } from './data-key-service.ts';
import { KEY_MATERIAL_BYTES } from './kms-limits.ts';

const generate = promisify(generateKeyPair);

export const WRAPPING_ALGORITHMS = ['RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1'] as const;
export type WrappingAlgorithm = (typeof WRAPPING_ALGORITHMS)[number];
export const WRAPPING_KEY_SPECS = { RSA_2048: 2048, RSA_3072: 3072 } as const;
export type WrappingKeySpec = keyof typeof WRAPPING_KEY_SPECS;

export function checkWrappingAlgorithm(v: unknown): WrappingAlgorithm {
  if (typeof v === 'string' && (WRAPPING_ALGORITHMS as readonly string[]).includes(v)) return v as WrappingAlgorithm;
  throw new KmsError('ValidationException', `WrappingAlgorithm must be one of ${WRAPPING_ALGORITHMS.join(', ')}`);
}

export function checkWrappingKeySpec(v: unknown): WrappingKeySpec {
  if (typeof v === 'string' && Object.hasOwn(WRAPPING_KEY_SPECS, v)) return v as WrappingKeySpec;
  throw new KmsError('ValidationException', `WrappingKeySpec must be one of ${Object.keys(WRAPPING_KEY_SPECS).join(', ')}`);
}

export async function newImportKeyPair(spec: WrappingKeySpec): Promise<{ publicKeyDer: Buffer; privateKeyDer: Buffer }> {
  const { publicKey, privateKey } = await generate('rsa', {
    modulusLength: WRAPPING_KEY_SPECS[spec],
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  return { publicKeyDer: publicKey, privateKeyDer: privateKey };
}

/** The 32 bytes of material inside `encrypted`, or a KmsError. */
export function unwrapImportedMaterial(privateKeyDer: Buffer, algorithm: string, encrypted: Buffer): Buffer {
  let material: Buffer;
  try {
    const key = createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
    material = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256' }, encrypted);
  } catch {
    throw new KmsError('InvalidCiphertextException', `EncryptedKeyMaterial does not decrypt with the import key (${algorithm})`);
  }
  if (material.length !== KEY_MATERIAL_BYTES) {
    throw new KmsError('ValidationException', `imported key material must be ${KEY_MATERIAL_BYTES} bytes (got ${material.length})`, 'IncorrectKeyMaterialException');
  }
  return material;
}
