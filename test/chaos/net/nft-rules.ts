// Zone faults as nftables rules: the exact text `nft -f` runs. Pure. A table of our own (family
// `ip`) holds one chain on the output hook, where loopback traffic passes too (a packet from
// 127.0.0.11 to 127.0.0.12 leaves through `lo` and is seen there). Each ordered zone pair whose
// packets `packetMode` says are lost gets one rule matching exactly the two zone addresses, so
// nothing but the zones' own traffic is ever touched, and traffic inside a zone (same address
// both ends) never is. `slow` has no rule: delaying packets needs netem (tc), which this backend
// does not use; the proxy does delays.
import { packetMode, type NetworkFault } from './partition-plan.ts';
import type { ZoneAddress } from './zone-network.ts';

/** The one family our tables live in: zone addresses are IPv4 loopback addresses. */
export const NFT_FAMILY = 'ip';
/** The chain (output hook) the drop rules live in. */
export const NFT_CHAIN = 'zone_faults';
/** Every generated table name starts with this, so our tables are recognisable in `nft list tables`. */
export const NFT_TABLE_PREFIX = 'zonestore_chaos_';
/** nft identifiers: a letter, then letters, digits, `_`; kept short. */
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const LOOPBACK_V4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A generated table name: the prefix, the process id, a per-process counter and a random tag. */
export function newTableName(pid: number, counter: number, tag: string): string {
  return checkTableName(`${NFT_TABLE_PREFIX}${pid}_${counter}_${tag}`);
}

export function checkTableName(name: string): string {
  if (!TABLE_NAME.test(name)) throw new Error(`bad nft table name ${JSON.stringify(name)} (letter, then [A-Za-z0-9_], ≤ 63)`);
  return name;
}

/** Zone addresses must be distinct IPv4 loopback addresses (127.0.0.0/8): rules never match anything else. */
export function checkZoneAddresses(zones: readonly ZoneAddress[]): void {
  const names = new Set<string>();
  const hosts = new Set<string>();
  for (const z of zones) {
    const m = LOOPBACK_V4.exec(z.host);
    if (!m || m.slice(1).some((octet) => Number(octet) > 255 || (octet.length > 1 && octet.startsWith('0')))) {
      throw new Error(`zone ${z.zone}: ${JSON.stringify(z.host)} is not an IPv4 loopback address (127.0.0.0/8)`);
    }
    if (names.has(z.zone)) throw new Error(`zone ${z.zone} listed twice`);
    if (hosts.has(z.host)) throw new Error(`zone ${z.zone}: address ${z.host} is already another zone's`);
    names.add(z.zone);
    hosts.add(z.host);
  }
}

/** The zones a fault names: all must be known, or a misspelt zone would quietly be no fault at all. */
function zonesNamed(f: NetworkFault): string[] {
  return f.kind === 'cut' ? [f.from, f.to] : [f.zone];
}

export function checkFaultZones(zones: readonly ZoneAddress[], faults: readonly NetworkFault[]): void {
  const known = new Set(zones.map((z) => z.zone));
  for (const f of faults) {
    for (const zone of zonesNamed(f)) {
      if (!known.has(zone)) throw new Error(`fault ${f.kind} names zone ${zone}, not one of ${[...known].join(', ')}`);
    }
  }
}

export interface DroppedPair {
  readonly from: ZoneAddress;
  readonly to: ZoneAddress;
}

/** Every ordered pair of distinct zones whose packets `from` → `to` are lost under `faults`. */
export function droppedPairs(zones: readonly ZoneAddress[], faults: readonly NetworkFault[]): DroppedPair[] {
  checkZoneAddresses(zones);
  checkFaultZones(zones, faults);
  const out: DroppedPair[] = [];
  for (const from of zones) {
    for (const to of zones) {
      if (from.zone !== to.zone && packetMode(faults, from.zone, to.zone).kind === 'drop') out.push({ from, to });
    }
  }
  return out;
}

/** Creates the table (failing if the name is taken: never adopt someone else's) and its chain. */
export function createTableScript(table: string): string {
  checkTableName(table);
  return [
    `create table ${NFT_FAMILY} ${table}`,
    `add chain ${NFT_FAMILY} ${table} ${NFT_CHAIN} { type filter hook output priority 0 ; policy accept ; }`,
    '',
  ].join('\n');
}

/**
 * Replaces the chain's rules with the drops `faults` imply. `nft -f` runs the whole text as one
 * transaction, so no packet ever sees a half-applied fault list.
 */
export function faultRulesScript(table: string, zones: readonly ZoneAddress[], faults: readonly NetworkFault[]): string {
  checkTableName(table);
  const lines = [`flush chain ${NFT_FAMILY} ${table} ${NFT_CHAIN}`];
  for (const { from, to } of droppedPairs(zones, faults)) {
    lines.push(`add rule ${NFT_FAMILY} ${table} ${NFT_CHAIN} ip saddr ${from.host} ip daddr ${to.host} drop`);
  }
  lines.push('');
  return lines.join('\n');
}

/** `nft` arguments that delete the table (its chain and rules with it). */
export function deleteTableArgs(table: string): string[] {
  return ['delete', 'table', NFT_FAMILY, checkTableName(table)];
}

/** Whether `nft list tables` output names our table. */
export function listsTable(listTablesOutput: string, table: string): boolean {
  return listTablesOutput.split('\n').some((line) => line.trim() === `table ${NFT_FAMILY} ${table}`);
}
