// The control channel of a zone process (`--control-stdin`), a test/chaos hook: one command per
// line on stdin, one `CONTROL {json}` reply line per command on stdout, in order. Commands:
//
//   node-stop <nodeId>    stop one data node as if it crashed (DOWN in the placement map soon)
//   node-start <nodeId>   start it again on its port and directory (a wiped directory starts empty)
//   repair-pass           run a repair pass of this zone now (after the one running, if any);
//                         the reply's `result` is the pass report and its duration in ms
//
// Replies: `CONTROL {"ok":true,"cmd":"node-stop zone-1-data-2"}` or
// `CONTROL {"ok":false,"cmd":…,"error":"…"}`. The READY line comes before any reply.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export const CONTROL_REPLY_PREFIX = 'CONTROL ';

export type ControlCommand =
  | { kind: 'node-stop'; nodeId: string }
  | { kind: 'node-start'; nodeId: string }
  | { kind: 'repair-pass' };

export interface ControlReply {
  ok: boolean;
  /** The command line as received (trimmed). */
  cmd: string;
  error?: string;
  /** What the command returns, if anything (repair-pass: its report). */
  result?: unknown;
}

/** What a command acts on (a RunningZone). */
export interface ControlTarget {
  stopDataNode(id: string): Promise<void>;
  startDataNode(id: string): Promise<void>;
  runRepairPass(): Promise<unknown>;
}

/** Parses one command line. Pure; throws on anything else. */
export function parseControlCommand(line: string): ControlCommand {
  const [verb, arg, ...rest] = line.trim().split(/\s+/);
  if ((verb === 'node-stop' || verb === 'node-start') && arg && rest.length === 0) return { kind: verb, nodeId: arg };
  if (verb === 'repair-pass' && arg === undefined) return { kind: verb };
  throw new Error(`unknown control command "${line.trim()}" (node-stop <nodeId> | node-start <nodeId> | repair-pass)`);
}

export function formatControlReply(reply: ControlReply): string {
  return `${CONTROL_REPLY_PREFIX}${JSON.stringify(reply)}`;
}

/** Undefined for lines that are not replies. */
export function parseControlReply(line: string): ControlReply | undefined {
  if (!line.startsWith(CONTROL_REPLY_PREFIX)) return undefined;
  return JSON.parse(line.slice(CONTROL_REPLY_PREFIX.length)) as ControlReply;
}

async function execute(target: ControlTarget, cmd: ControlCommand): Promise<unknown> {
  switch (cmd.kind) {
    case 'node-stop': return target.stopDataNode(cmd.nodeId);
    case 'node-start': return target.startDataNode(cmd.nodeId);
    case 'repair-pass': return target.runRepairPass();
  }
}

/** Reads commands from `input` until it ends, one at a time, and writes a reply line for each. */
export function serveControlChannel(o: { input: Readable; output: Writable; target: ControlTarget }): void {
  let queue = Promise.resolve();
  createInterface({ input: o.input }).on('line', (line) => {
    const cmd = line.trim();
    if (cmd === '') return;
    queue = queue.then(async () => {
      let reply: ControlReply;
      try {
        const result = await execute(o.target, parseControlCommand(cmd));
        reply = result === undefined ? { ok: true, cmd } : { ok: true, cmd, result };
      } catch (err) {
        reply = { ok: false, cmd, error: (err as Error).message };
      }
      o.output.write(formatControlReply(reply) + '\n');
    });
  });
}
