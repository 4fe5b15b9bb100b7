import type { Message, MessageType, NodeId } from './types.ts';

/** A message of `type` to `to` with every payload field zero/empty; callers override some. */
export function blankMessage(type: MessageType, to: NodeId): Omit<Message, 'from' | 'term'> {
  return { type, to, index: 0, logTerm: 0, entries: [], commit: 0, reject: false, rejectHint: 0 };
}
