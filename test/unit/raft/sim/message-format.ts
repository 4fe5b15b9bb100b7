import { MessageType, type Message } from '../../../../services/raft/types.ts';

/** A one-line form of a message for traces, e.g. `n1→n2 Append t3 prev 7/2 +2 commit 6`. */
export function formatMessage(m: Message): string {
  const head = `${m.from}→${m.to} ${MessageType[m.type]} t${m.term}`;
  switch (m.type) {
    case MessageType.Append: {
      const ents = m.entries.length > 0 ? ` +[${m.entries.map((e) => `${e.index}/${e.term}`).join(',')}]` : '';
      return `${head} prev ${m.index}/${m.logTerm}${ents} commit ${m.commit}`;
    }
    case MessageType.AppendResponse:
      return m.reject ? `${head} reject ${m.index} hint ${m.rejectHint}/${m.logTerm}` : `${head} ok ${m.index}`;
    case MessageType.Vote:
    case MessageType.PreVote:
      return `${head} last ${m.index}/${m.logTerm}`;
    case MessageType.VoteResponse:
    case MessageType.PreVoteResponse:
      return `${head} ${m.reject ? 'rejected' : 'granted'}`;
    case MessageType.Heartbeat:
      return `${head} commit ${m.commit}`;
    case MessageType.Snapshot:
      return `${head} snapshot ${m.snapshot?.meta.index}/${m.snapshot?.meta.term}`;
    case MessageType.ReadIndexResponse:
      return `${head} index ${m.index}`;
    default:
      return head;
  }
}
