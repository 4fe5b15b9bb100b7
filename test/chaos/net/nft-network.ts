// Network faults between zones as kernel packet drops: the nftables backend next to the proxy
// one (`ZoneNetwork`). It needs root and `nft`, and then sees every packet between zone
// addresses, not only connections to proxied servers. Each instance owns one table of its own
// (generated name with pid, counter and a random tag, created with `create` so an existing table
// is never adopted) holding one output-hook chain: loopback packets pass the output hook, so
// 127.0.0.11 → 127.0.0.12 is filtered there. Rules match only the zones' own 127.x addresses, so
// a zone process must bind its zone address for outgoing sockets (an unbound socket to
// 127.0.0.12 leaves from 127.0.0.1 and is not a zone's packet). Unlike the proxy, rules are
// host-wide: they hit every process using those addresses, so a cluster run under this backend
// needs zone addresses that no concurrently running test uses.
//
// What a fault does here: every ordered zone pair whose `packetMode` is `drop` gets a rule that
// drops packets from the one address to the other, so established connections stall (TCP
// retransmits, delivered after heal) and new ones cannot complete their handshake. Unlike a
// real network, a drop on the output hook is reported to the local sender: a UDP send fails
// with EPERM (TCP hides it and just retransmits). `slow` is ignored: delaying packets needs
// netem (tc qdisc), which this backend does not use (and the kernel here lacks); run the proxy
// alongside for delays. Tables left by a process that never called stop are deleted on its
// exit or on SIGINT/SIGTERM/SIGHUP (`nft-leftovers.ts`); every `nft` run is bounded.
import { randomBytes } from 'node:crypto';
import { runNft, runNftOk } from './nft-exec.ts';
import { trackTable, untrackTable } from './nft-leftovers.ts';
import {
  checkFaultZones, checkTableName, checkZoneAddresses, createTableScript, deleteTableArgs, faultRulesScript,
  listsTable, newTableName,
} from './nft-rules.ts';
import type { NetworkFault } from './partition-plan.ts';
import type { ZoneAddress } from './zone-network.ts';

let tableCounter = 0;

export class NftNetwork {
  private faults: NetworkFault[] = [];
  /** Operations run one at a time, in call order: the last apply is the rule set in force. */
  private queue: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | undefined;
  /** The table is gone: nothing may be applied any more. */
  private deleted = false;

  private constructor(
    readonly tableName: string,
    private readonly zones: readonly ZoneAddress[],
  ) {}

  /** Why this machine cannot run the backend (not Linux, not root, `nft` missing or refused), or undefined. */
  static async unavailableReason(): Promise<string | undefined> {
    if (process.platform !== 'linux') return 'nftables exists only on Linux';
    if (process.getuid?.() !== 0) return 'nft rules need root';
    try {
      const r = await runNft(['list', 'tables']);
      return r.code === 0 ? undefined : `nft list tables exited ${r.code}: ${r.stderr.trim()}`;
    } catch (err) {
      return `nft does not run: ${(err as Error).message}`;
    }
  }

  /** Root, and `nft` runs (bounded). */
  static async available(): Promise<boolean> {
    return (await NftNetwork.unavailableReason()) === undefined;
  }

  /** Creates the table and its empty chain; throws if the name is taken or `nft` fails. */
  static async start(o: { zones: ZoneAddress[]; tableName?: string }): Promise<NftNetwork> {
    checkZoneAddresses(o.zones);
    const table = o.tableName === undefined
      ? newTableName(process.pid, ++tableCounter, randomBytes(3).toString('hex'))
      : checkTableName(o.tableName);
    try {
      await runNftOk(['-f', '-'], createTableScript(table));
    } catch (err) {
      // A timed-out transaction may still have been committed; the name is ours (fresh), so
      // clean it up. An nft that refused (e.g. the name exists) created nothing: touch nothing.
      if (/no exit within/.test((err as Error).message)) await runNft(deleteTableArgs(table)).catch(() => undefined);
      throw err;
    }
    trackTable(table);
    return new NftNetwork(table, o.zones.map((z) => ({ ...z })));
  }

  get activeFaults(): readonly NetworkFault[] {
    return this.faults;
  }

  /**
   * Replaces the rule set with the drops `faults` imply, in one `nft -f` transaction (flush +
   * add), so it switches atomically. On failure the previous rule set stays in force.
   */
  async apply(faults: readonly NetworkFault[]): Promise<void> {
    checkFaultZones(this.zones, faults); // a rejection, like every other failure here
    const stopped = (): Error => new Error(`nft table ${this.tableName} is stopped`);
    if (this.stopping || this.deleted) throw stopped();
    const next = [...faults];
    return this.enqueue(async () => {
      if (this.deleted) throw stopped();
      await runNftOk(['-f', '-'], faultRulesScript(this.tableName, this.zones, next));
      this.faults = next;
    });
  }

  heal(): Promise<void> {
    return this.apply([]);
  }

  /** Deletes the table (rules and chain with it). Idempotent; a failed stop may be retried. */
  stop(): Promise<void> {
    if (this.deleted) return Promise.resolve();
    if (this.stopping) return this.stopping;
    const stopping = this.enqueue(async () => {
      const r = await runNft(deleteTableArgs(this.tableName));
      if (r.code !== 0) {
        // Already gone (deleted by hand, or a flushed ruleset) is stopped too.
        const list = await runNftOk(['list', 'tables']);
        if (listsTable(list.stdout, this.tableName)) {
          throw new Error(`nft delete table ${this.tableName} exited ${r.code}: ${r.stderr.trim()}`);
        }
      }
      this.deleted = true;
      untrackTable(this.tableName);
      this.faults = [];
    });
    this.stopping = stopping;
    stopping.catch(() => { if (this.stopping === stopping) this.stopping = undefined; });
    return stopping;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.queue.then(op);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
