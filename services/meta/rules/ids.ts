// Version and upload ids. An id is the Raft index of the command that created it (16 hex
// digits, so ids sort in creation order and lead straight to the stored record) followed by
// 8 hex digits of the leader's nonce (so ids are not guessable from the index alone).
import { MetaError } from '../meta-error.ts';

export const NULL_VERSION_ID = 'null';
const ID_FORM = /^([0-9a-f]{16})[0-9a-f]{8}$/;
export const NONCE_HEX_LENGTH = 16;

export function idFor(sequence: number, nonce: string): string {
  if (!/^[0-9a-f]{8,}$/.test(nonce)) throw new MetaError('InternalError', 'command carries no valid nonce');
  return sequence.toString(16).padStart(16, '0') + nonce.slice(0, 8);
}

/** The sequence inside an id, or null when `id` is not of our form. */
export function sequenceOfId(id: string): number | null {
  const m = ID_FORM.exec(id);
  if (!m) return null;
  const seq = parseInt(m[1]!, 16);
  return Number.isSafeInteger(seq) ? seq : null;
}
