// The KMS root key of a gateway role (--kms-root-key-file / ZONESTORE_KMS_ROOT_KEY_FILE): a
// mounted secret holding 32 random bytes as base64 text (`openssl rand -base64 32`, as
// deploy/compose/init.sh and the Helm chart make it), one trailing newline allowed. Anything else
// stops the gateway at start: a wrong key would not fail until the first encrypted object.
import { readFileSync } from 'node:fs';

export const KMS_ROOT_KEY_BYTES = 32;
const BASE64_OF_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;

/** The key in a file's text, or an error saying what is wrong with it (never the text itself). */
export function parseKmsRootKey(text: string, file: string): Buffer {
  const body = text.replace(/\r?\n$/, '');
  if (!BASE64_OF_32_BYTES.test(body)) {
    throw new Error(`the KMS root key file ${file} must hold ${KMS_ROOT_KEY_BYTES} random bytes as base64 (44 characters, e.g. \`openssl rand -base64 ${KMS_ROOT_KEY_BYTES}\`), `
      + `with at most a trailing newline; it holds ${text.length} characters${body.length === 44 ? ' that are not base64' : ''}`);
  }
  const key = Buffer.from(body, 'base64');
  // The pattern allows a last character whose low bits are not zero: not canonical base64.
  if (key.length !== KMS_ROOT_KEY_BYTES || key.toString('base64') !== body) {
    throw new Error(`the KMS root key file ${file} is not canonical base64 of ${KMS_ROOT_KEY_BYTES} bytes`);
  }
  return key;
}

export function readKmsRootKeyFile(file: string): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the KMS root key file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseKmsRootKey(text, file);
}
