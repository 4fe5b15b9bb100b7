import { ConfChangeType, type ConfChange, type ConfState, type NodeId } from './types.ts';

const TYPES = new Set<number>([ConfChangeType.AddVoter, ConfChangeType.RemoveNode, ConfChangeType.AddLearner]);

/** Wire form of a ConfChange entry's data: one type byte, then the node id in UTF-8. */
export function encodeConfChange(cc: ConfChange): Uint8Array {
  const id = new TextEncoder().encode(cc.node);
  const out = new Uint8Array(1 + id.length);
  out[0] = cc.type;
  out.set(id, 1);
  return out;
}

/** Undefined when `data` is not a valid ConfChange (the entry is then ignored). */
export function decodeConfChange(data: Uint8Array): ConfChange | undefined {
  if (data.length < 2 || !TYPES.has(data[0])) return undefined;
  return { type: data[0] as ConfChangeType, node: new TextDecoder().decode(data.subarray(1)) };
}

/** The configuration after applying `cc` (one node at a time). */
export function applyConfChange(conf: ConfState, cc: ConfChange): ConfState {
  const without = (ids: NodeId[]) => ids.filter((id) => id !== cc.node);
  switch (cc.type) {
    case ConfChangeType.AddVoter:
      return { voters: [...without(conf.voters), cc.node].sort(), learners: without(conf.learners) };
    case ConfChangeType.AddLearner:
      if (conf.voters.includes(cc.node)) return conf; // demoting a voter is not supported
      return { voters: conf.voters, learners: [...without(conf.learners), cc.node].sort() };
    case ConfChangeType.RemoveNode:
      return { voters: without(conf.voters), learners: without(conf.learners) };
  }
}
