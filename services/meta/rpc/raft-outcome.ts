// Turning the Raft host's failures into MetaErrors clients can act on.
import { isRaftHostError } from '../../raft/host/raft-host-error.ts';
import type { NodeId } from '../../raft/types.ts';
import { MetaError } from '../meta-error.ts';

export function metaErrorOfRaft(err: unknown, apiAddressOf: (id: NodeId) => string | undefined): unknown {
  if (!isRaftHostError(err)) return err;
  switch (err.code) {
    case 'NotLeader': {
      const leaderAddress = err.leader ? apiAddressOf(err.leader) ?? '' : '';
      return new MetaError('NotLeader', err.message, leaderAddress ? { leader: err.leader, leaderAddress } : {});
    }
    case 'ProposalDropped':
    case 'ReadTimeout':
    case 'Stopped':
      return new MetaError('ServiceUnavailable', err.message);
    case 'ProposalTimeout':
    case 'ProposalOutcomeUnknown':
      return new MetaError('OutcomeUnknown', err.message);
    case 'StorageFailed':
      return new MetaError('InternalError', err.message);
  }
}
