// RSAES-PKCS1-v1_5 decoding (RFC 8017 §7.2.2) of a raw RSA decryption. Node 20 refuses
// RSA_PKCS1_PADDING in privateDecrypt (CVE-2023-46809, the Marvin timing attack on servers that
// decrypt attacker-chosen ciphertexts), yet RSA/NONE/PKCS1Padding is what the OSS format
// stores. So the client decrypts without padding and checks the padding here, over every byte
// whatever it finds, and reports only "not this key". The client decrypts envelopes of its own
// objects, not arbitrary ciphertexts for others, which is where that attack needs an oracle.

/** Least PS length the encoding requires. */
const MIN_PADDING_BYTES = 8;

/** The message inside EM = 0x00 ‖ 0x02 ‖ PS (≥ 8 non-zero bytes) ‖ 0x00 ‖ M, or undefined. */
export function decodePkcs1v15(em: Uint8Array): Buffer | undefined {
  let bad = (em.length < 2 + MIN_PADDING_BYTES + 1 ? 1 : 0) | (em[0] ?? 1) | ((em[1] ?? 0) ^ 0x02);
  let separator = 0;
  let found = 0;
  for (let i = 2; i < em.length; i++) {
    const isZero = em[i] === 0 ? 1 : 0;
    const first = isZero & (found ^ 1);
    separator = first ? i : separator;
    found |= isZero;
  }
  bad |= found ^ 1;
  bad |= separator < 2 + MIN_PADDING_BYTES ? 1 : 0;
  return bad === 0 ? Buffer.from(em.subarray(separator + 1)) : undefined;
}

/** EM for a message under a `modulusBytes`-byte key, with the given non-zero padding (for tests). */
export function encodePkcs1v15(message: Uint8Array, modulusBytes: number, nonZeroPadding: Uint8Array): Buffer {
  const psLength = modulusBytes - message.length - 3;
  if (psLength < MIN_PADDING_BYTES) throw new RangeError('message too long for the key');
  if (nonZeroPadding.length < psLength || nonZeroPadding.subarray(0, psLength).includes(0)) throw new RangeError('padding must be non-zero');
  return Buffer.concat([Buffer.from([0, 2]), nonZeroPadding.subarray(0, psLength), Buffer.from([0]), message]);
}
