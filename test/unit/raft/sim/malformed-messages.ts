import { MessageType, type Message } from '../../../../services/raft/types.ts';
import type { SeededRandom } from './seeded-random.ts';

/**
 * Ways to break a message that a node must drop (and count) rather than act on or throw at:
 * numbers out of range, unknown type, entries that do not follow `index` or carry a newer term
 * than the message, a snapshot message without a snapshot.
 */
const CORRUPTIONS: readonly ((m: Message) => void)[] = [
  (m) => void (m.term = 0),
  (m) => void (m.index = -1),
  (m) => void (m.commit = Number.NaN),
  (m) => void (m.logTerm = 1.5),
  (m) => void (m.type = 99 as MessageType),
  (m) => void (m.from = ''),
  (m) => void ((m as { entries: unknown }).entries = null),
  (m) => {
    m.type = MessageType.Append;
    m.entries = [{ term: m.term + 1, index: m.index + 1, type: 0, data: new Uint8Array(0) }];
  },
  (m) => {
    m.type = MessageType.Append;
    m.entries = [{ term: m.term, index: m.index + 2, type: 0, data: new Uint8Array(0) }];
  },
  (m) => {
    m.type = MessageType.Snapshot;
    m.snapshot = undefined;
  },
];

/** A corrupted copy of `m` (the original is untouched). */
export function corruptMessage(m: Message, random: SeededRandom): Message {
  const copy: Message = { ...m, entries: m.entries.map((e) => ({ ...e })) };
  random.pick(CORRUPTIONS)(copy);
  return copy;
}
