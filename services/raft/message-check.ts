import { MessageType, type DropReason, type Message, type NodeId } from './types.ts';

const TYPES = new Set<number>(Object.values(MessageType).filter((v): v is number => typeof v === 'number'));

function isIndex(n: unknown): boolean {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/**
 * Why `m` must be dropped before it reaches the state machine, or undefined when it is
 * well-formed: known type, addressed to us, sane numbers, contiguous entries that follow
 * `index` and carry terms no newer than the message's.
 */
export function validateMessage(m: Message, self: NodeId): DropReason | undefined {
  if (!m || typeof m !== 'object' || !TYPES.has(m.type)) return 'malformed';
  if (typeof m.from !== 'string' || m.from === '' || m.from === self) return 'malformed';
  if (m.to !== self) return 'unexpected';
  if (!isIndex(m.term) || !isIndex(m.index) || !isIndex(m.logTerm) || !isIndex(m.commit) || !isIndex(m.rejectHint)) {
    return 'malformed';
  }
  if (m.term === 0) return 'malformed';
  if (!Array.isArray(m.entries)) return 'malformed';
  let prevTerm = m.logTerm;
  for (let i = 0; i < m.entries.length; i++) {
    const e = m.entries[i];
    if (!e || e.index !== m.index + i + 1 || !isIndex(e.term) || e.term < prevTerm || e.term > m.term) return 'malformed';
    if (!(e.data instanceof Uint8Array)) return 'malformed';
    prevTerm = e.term;
  }
  if (m.type === MessageType.Snapshot) {
    const s = m.snapshot;
    if (!s || !isIndex(s.meta?.index) || !isIndex(s.meta?.term) || !Array.isArray(s.meta?.conf?.voters)) return 'malformed';
    if (s.meta.index === 0 || !(s.data instanceof Uint8Array)) return 'malformed';
  }
  if (m.entries.length > 0 && m.type !== MessageType.Append) return 'malformed';
  return undefined;
}
