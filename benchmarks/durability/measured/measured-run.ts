// `zonestore durability run` (issue #9): on a fresh real local cluster, write N objects, then
// destroy shards the way the durability model assumes they are destroyed — a whole zone with its
// data disks, then a replaced disk, a stopped node and bitrot aimed so that stripes lose up to
// (never more than) their tolerance — check every object reads back byte for byte while the
// damage is in place, let repair restore full redundancy (timed: the measured repair throughput
// that feeds the model), and check every object again. Optionally it also goes beyond tolerance
// on purpose, where the named objects must come back lost, never with wrong bytes.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { scanRedundancy } from '../../../services/gateway/repair/index.ts';
import { TaskLimit } from '../../../services/gateway/repair/task-limit.ts';
import { DurabilityCluster, type RepairRound } from './durability-cluster.ts';
import {
  bytesLost, planBeyondTolerance, planBitrot, shardsLost, stripesBeyondTolerance, stripesOfManifest, type PhaseDamage, type StripeLayout,
} from './loss-plan.ts';
import { verifyObjects, writeObjects, type FailedObject, type VerifyReport } from './object-io.ts';
import { countByKind, planObjects, totalBytes, type ObjectKind, type PlannedObject } from './object-set.ts';

export const RUN_BUCKET = 'durability-run';
const REGION = 'us-east-1';
const CLUSTER_HEALTHY_TIMEOUT_MS = 90_000;
/** Share of stripes that get bitrot in the second phase. */
const BITROT_STRIPE_SHARE = 0.2;
const MANIFEST_READ_CONCURRENCY = 16;
/** Degraded shards named in a phase's report. */
const SHOWN_DEGRADED = 10;

export interface ProgressSink {
  start(label: string, total: number): { tick(): void; done(): void };
}

export interface MeasuredRunOptions {
  readonly objects: number;
  readonly seed: number;
  /** Shrinks object sizes (0 < s ≤ 1), see planObjects. */
  readonly sizeScale: number;
  /** Only objects of this kind (default: the mix). */
  readonly only?: ObjectKind;
  readonly concurrency: number;
  /** Objects taken beyond tolerance on purpose after the other phases (0: none). */
  readonly beyondTolerance: number;
  readonly fastTiming: boolean;
  /** How long repair gets per phase to restore full redundancy. */
  readonly repairTimeoutMs: number;
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
  readonly progress?: ProgressSink;
}

export interface RepairMeasure {
  rounds: number;
  /** Bytes of shards the zones' passes rewrote or added. */
  bytesRebuilt: number;
  /** Wall time of the rounds that rebuilt something (the confirming round excluded). */
  repairMs: number;
  /** bytesRebuilt / repairMs. */
  mibPerSecond: number;
  /** From the damage healed (zone or node back) to the end of the last round that rebuilt something. */
  timeToFullRedundancyMs: number;
  /** The fastest single zone's pass rate (bytes it rebuilt / its pass time), MiB/s. */
  bestZoneMiBps: number;
  unrepairable: number;
}

export interface PhaseReport {
  name: string;
  faults: string[];
  shardsDamaged: number;
  bytesDamaged: number;
  /** Stripes that lost exactly their tolerance (the hardest case still promised). */
  stripesAtTolerance: number;
  degradedRead: VerifyReport;
  repair: RepairMeasure;
  /** The independent check after repair: every shard of every object present and valid. */
  scanDegraded: number;
  /** The first degraded shards the scan found (what, where, state). */
  scanDegradedSample: string[];
  unrebuildable: string[];
  verify: VerifyReport;
}

export interface MeasuredRunReport {
  seed: number;
  objects: number;
  byKind: Record<ObjectKind, number>;
  bytesWritten: number;
  writeMs: number;
  writeFailures: FailedObject[];
  /** Shards writes left out (stragglers abandoned under load), restored by repair before the faults. */
  shardsLeftOutByWrites: number;
  stripes: number;
  shards: number;
  phases: PhaseReport[];
  /** Keys lost beyond tolerance on purpose (the last phase's), expected to be unreadable. */
  plantedLost: string[];
  /** Objects unreadable at the end. */
  lost: string[];
  /** Objects that came back with wrong bytes at any point: must be empty. */
  wrongBytes: string[];
  /** The zone-loss phase's repair throughput: what the model is fed. */
  repairMiBps: number;
  finishedAt: string;
}

export async function runMeasured(o: MeasuredRunOptions): Promise<MeasuredRunReport> {
  const log = o.log ?? (() => {});
  const planned = planObjects({ count: o.objects, seed: o.seed, sizeScale: o.sizeScale, only: o.only });
  log(`${planned.length} objects, ${(totalBytes(planned) / 2 ** 20).toFixed(1)} MiB: ${JSON.stringify(countByKind(planned))}`);
  const cluster = await DurabilityCluster.start({ fastTiming: o.fastTiming, log });
  const clients: S3Client[] = [];
  try {
    connectClients(cluster, clients);
    await clients[0]!.send(new CreateBucketCommand({ Bucket: RUN_BUCKET }));
    const writeStarted = Date.now();
    const bar = o.progress?.start('write', planned.length);
    const writeFailures = await writeObjects(clients, RUN_BUCKET, planned, { concurrency: o.concurrency, onDone: () => bar?.tick() });
    bar?.done();
    const writeMs = Date.now() - writeStarted;
    const written = planned.filter((p) => !writeFailures.some((f) => f.key === p.key));
    log(`written in ${(writeMs / 1000).toFixed(1)} s; ${writeFailures.length} failed`);

    const settled = await settleBeforeFaults(cluster, o.repairTimeoutMs, log);
    const stripes = await readStripes(cluster, written);
    const run: RunContext = { cluster, clients, objects: written, stripes, o, log };
    const phases: PhaseReport[] = [];
    phases.push(await zoneLossPhase(run));
    phases.push(await diskNodeBitrotPhase(run));
    let plantedLost: string[] = [];
    if (o.beyondTolerance > 0) {
      const beyond = await beyondTolerancePhase(run);
      plantedLost = beyond.keys;
      phases.push(beyond.report);
    }
    const last = phases[phases.length - 1]!;
    return {
      seed: o.seed, objects: written.length, byKind: countByKind(written), bytesWritten: totalBytes(written), writeMs, writeFailures,
      shardsLeftOutByWrites: settled,
      stripes: stripes.length, shards: stripes.reduce((n, s) => n + s.shards.length, 0), phases, plantedLost,
      lost: last.verify.unreadable.map((f) => f.key),
      wrongBytes: [...new Set(phases.flatMap((p) => [...p.degradedRead.wrongBytes, ...p.verify.wrongBytes].map((f) => f.key)))].sort(),
      repairMiBps: phases[0]!.repair.mibPerSecond,
      finishedAt: new Date().toISOString(),
    };
  } finally {
    for (const c of clients) c.destroy();
    await cluster.stop({ keep: o.keep });
  }
}

interface RunContext {
  cluster: DurabilityCluster;
  clients: S3Client[];
  objects: PlannedObject[];
  stripes: StripeLayout[];
  o: MeasuredRunOptions;
  log: (line: string) => void;
}

/**
 * Writes under load can leave a straggler's shard out of a manifest (acknowledged without it,
 * restored later by repair). The faults must start from full redundancy, or a phase's damage
 * would add to it: repair rounds in every zone until the (index-only) scan is clean.
 */
async function settleBeforeFaults(cluster: DurabilityCluster, timeoutMs: number, log: (line: string) => void): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let scan = await scanRedundancy({ meta: cluster.meta, verify: false });
  const leftOut = scan.degraded.length;
  while (scan.degraded.length > 0) {
    if (Date.now() >= deadline) throw new Error(`${scan.degraded.length} shards still degraded ${timeoutMs} ms after the writes`);
    log(`${scan.degraded.length} shards left out by the writes (${[...new Set(scan.degraded.map((d) => d.state))].join(', ')}): a repair round first`);
    await cluster.repairRound();
    scan = await scanRedundancy({ meta: cluster.meta, verify: false });
  }
  return leftOut;
}

async function readStripes(cluster: DurabilityCluster, objects: readonly PlannedObject[]): Promise<StripeLayout[]> {
  const limit = new TaskLimit(MANIFEST_READ_CONCURRENCY);
  const perObject = await Promise.all(objects.map((obj) => limit.run(async () => {
    const v = (await cluster.meta.call('getObject', { bucket: RUN_BUCKET, key: obj.key, versionId: '' })).version!;
    return stripesOfManifest(obj.key, v.manifest!);
  })));
  return perObject.flat();
}

/** One S3 client per zone's gateway, replacing those there were (a restarted zone's gateway moved). */
function connectClients(cluster: DurabilityCluster, clients: S3Client[]): void {
  for (const c of clients.splice(0)) c.destroy();
  for (const endpoint of cluster.endpoints) {
    clients.push(new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials: cluster.credentials, maxAttempts: 3 }));
  }
}

function verify(run: RunContext, label: string, clients: readonly S3Client[]): Promise<VerifyReport> {
  const bar = run.o.progress?.start(label, run.objects.length);
  return verifyObjects(clients, RUN_BUCKET, run.objects, { concurrency: run.o.concurrency, onDone: () => bar?.tick() })
    .finally(() => bar?.done());
}

/**
 * What a phase destroyed (`damage`: what repair must rebuild) and how close to their tolerance it
 * took stripes while the reads ran (`whileReading`: also nodes that were only stopped).
 */
function describeDamage(run: RunContext, damage: PhaseDamage, whileReading: PhaseDamage): Pick<PhaseReport, 'shardsDamaged' | 'bytesDamaged' | 'stripesAtTolerance'> {
  const beyond = stripesBeyondTolerance(run.stripes, whileReading);
  const { shards, bytes } = bytesLost(run.stripes, damage);
  const atTolerance = run.stripes.filter((s) => shardsLost(s, whileReading).length === s.tolerance).length;
  run.log(`damage: ${shards} shards, ${(bytes / 2 ** 20).toFixed(1)} MiB; ${atTolerance} stripes at tolerance, ${beyond.length} beyond`);
  return { shardsDamaged: shards, bytesDamaged: bytes, stripesAtTolerance: atTolerance };
}

/**
 * Repair rounds (a pass in each of `zones` at once) until one finds nothing left to do — or,
 * when shards are unrebuildable on purpose, until a round rebuilds nothing more.
 */
async function repairUntilDone(run: RunContext, healedAt: number, zones: readonly string[]): Promise<RepairMeasure> {
  const rounds: RepairRound[] = [];
  const deadline = Date.now() + run.o.repairTimeoutMs;
  let lastRebuildEnd = healedAt;
  for (;;) {
    const round = await run.cluster.repairRound(zones);
    rounds.push(round);
    const rebuilt = round.passes.reduce((n, p) => n + p.rewritten + p.added, 0);
    const pending = round.passes.reduce((n, p) => n + p.waiting + p.failed + p.lost, 0);
    const unrepairable = round.passes.reduce((n, p) => n + p.unrepairable, 0);
    run.log(`repair round ${rounds.length}: ${(round.ms / 1000).toFixed(1)} s, ${rebuilt} shards rebuilt, ${pending} waiting/failed, ${unrepairable} unrepairable`);
    if (rebuilt > 0) lastRebuildEnd = Date.now();
    if (rebuilt === 0 && pending === 0) break;
    if (Date.now() >= deadline) throw new Error(`repair did not finish within ${run.o.repairTimeoutMs} ms (${rounds.length} rounds)`);
  }
  const working = rounds.filter((r) => r.passes.some((p) => p.rewritten + p.added > 0));
  const bytesRebuilt = rounds.reduce((n, r) => n + r.passes.reduce((m, p) => m + p.bytesRebuilt, 0), 0);
  const repairMs = working.reduce((n, r) => n + r.ms, 0);
  const zoneRates = working.flatMap((r) => r.passes.filter((p) => p.bytesRebuilt > 0 && p.ms > 0).map((p) => p.bytesRebuilt / 2 ** 20 / (p.ms / 1000)));
  return {
    rounds: rounds.length, bytesRebuilt, repairMs,
    mibPerSecond: repairMs > 0 ? bytesRebuilt / 2 ** 20 / (repairMs / 1000) : 0,
    timeToFullRedundancyMs: lastRebuildEnd - healedAt,
    bestZoneMiBps: zoneRates.length > 0 ? Math.max(...zoneRates) : 0,
    unrepairable: rounds.at(-1)!.passes.reduce((n, p) => n + p.unrepairable, 0),
  };
}

interface PhaseInput {
  name: string;
  faults: string[];
  /** What repair must rebuild. */
  damage: PhaseDamage;
  /** Out of reach while the degraded reads ran (default: `damage`). */
  whileReading?: PhaseDamage;
  degradedRead: VerifyReport;
  healedAt: number;
  /** Zones whose repair passes run (default every zone). */
  repairZones?: readonly string[];
}

async function finishPhase(run: RunContext, p: PhaseInput): Promise<PhaseReport> {
  const { name, faults, damage, degradedRead } = p;
  const described = describeDamage(run, damage, p.whileReading ?? damage);
  const repair = await repairUntilDone(run, p.healedAt, p.repairZones ?? run.cluster.zones);
  const scan = await scanRedundancy({ meta: run.cluster.meta });
  const unrebuildable = [...new Set(scan.unrebuildable.map((u) => u.key))].sort();
  const verified = await verify(run, `${name}: verify`, run.clients);
  run.log(`${name}: ${verified.intact}/${verified.checked} intact, ${verified.unreadable.length} unreadable, ${verified.wrongBytes.length} wrong; scan ${scan.degraded.length} degraded`);
  const scanDegradedSample = scan.degraded.slice(0, SHOWN_DEGRADED)
    .map((d) => `${d.key} part ${d.part} stripe ${d.stripe} shard ${d.shard} on ${d.node ?? `(none, ${d.zone})`}: ${d.state}`);
  return { name, faults, ...described, degradedRead, repair, scanDegraded: scan.degraded.length, scanDegradedSample, unrebuildable, verify: verified };
}

/**
 * A whole zone lost with its data disks; reads go on through the other zones; it comes back
 * empty and its repair worker refills it. Only that zone's passes run: the others have nothing
 * to repair (the scan afterwards checks every zone), and on this one machine their verification
 * reads would take CPU from the rebuild that separate zone machines would not.
 */
async function zoneLossPhase(run: RunContext): Promise<PhaseReport> {
  const zone = run.cluster.zones.at(-1)!;
  const nodes = new Set(run.cluster.dataNodesOf(zone));
  await run.cluster.loseZone(zone);
  const survivors = run.clients.slice(0, -1);
  const degradedRead = await verify(run, `${zone} lost: read`, survivors);
  await run.cluster.restoreZone(zone);
  connectClients(run.cluster, run.clients);
  await run.cluster.waitHealthy(CLUSTER_HEALTHY_TIMEOUT_MS);
  return finishPhase(run, {
    name: 'zone loss', faults: [`${zone} killed, its ${nodes.size} data disks wiped, restarted empty`],
    damage: { nodes, chunks: new Set() }, degradedRead, healedAt: Date.now(), repairZones: [zone],
  });
}

/** A replaced disk in one zone, a stopped node in another, and bitrot up to each stripe's tolerance. */
async function diskNodeBitrotPhase(run: RunContext): Promise<PhaseReport> {
  const [z1, z2] = run.cluster.zones;
  const wiped = run.cluster.dataNodesOf(z1!)[0]!;
  const stopped = run.cluster.dataNodesOf(z2!).at(-1)!;
  const nodes = new Set([wiped, stopped]);
  const rot = planBitrot(run.stripes, {
    damage: { nodes, chunks: new Set() }, zones: run.cluster.zones, stripeShare: BITROT_STRIPE_SHARE, seed: run.o.seed + 1,
  });
  const damage: PhaseDamage = { nodes, chunks: new Set(rot) };
  if (stripesBeyondTolerance(run.stripes, damage).length > 0) throw new Error('the bitrot plan went beyond tolerance (a planner bug)');
  const nodeOf = new Map(run.stripes.flatMap((s) => s.shards.map((x) => [x.chunkId, x.node] as const)));
  await run.cluster.wipeNode(wiped);
  await run.cluster.stopNode(stopped);
  let rotted = 0;
  for (const [i, chunkId] of rot.entries()) if (await run.cluster.rotChunk(nodeOf.get(chunkId)!, chunkId, run.o.seed + i)) rotted++;
  run.log(`bitrot in ${rotted} of ${rot.length} planned chunks`);
  const degradedRead = await verify(run, 'disk, node, bitrot: read', run.clients);
  await run.cluster.startNode(stopped);
  await run.cluster.waitHealthy(CLUSTER_HEALTHY_TIMEOUT_MS);
  // The stopped node's chunks are intact: they are out of reach only while it is down.
  return finishPhase(run, {
    name: 'disk, node, bitrot',
    faults: [`${wiped} disk wiped`, `${stopped} stopped during the reads`,
      `bitrot in ${rotted} chunks (${BITROT_STRIPE_SHARE * 100} % of stripes, up to their tolerance with the two nodes counted)`],
    damage: { nodes: new Set([wiped]), chunks: damage.chunks }, whileReading: damage, degradedRead, healedAt: Date.now(),
  });
}

/** m + 1 shards deleted from one stripe of each chosen object: those objects must come back lost, by name. */
async function beyondTolerancePhase(run: RunContext): Promise<{ keys: string[]; report: PhaseReport }> {
  const plan = planBeyondTolerance(run.stripes, { count: run.o.beyondTolerance, seed: run.o.seed + 2 });
  const nodeOf = new Map(run.stripes.flatMap((s) => s.shards.map((x) => [x.chunkId, x.node] as const)));
  for (const chunkId of plan.chunks) run.cluster.deleteChunk(nodeOf.get(chunkId)!, chunkId);
  run.log(`beyond tolerance: ${plan.chunks.length} chunks deleted from ${plan.keys.length} objects: ${plan.keys.join(', ')}`);
  const degradedRead = await verify(run, 'beyond tolerance: read', run.clients);
  const report = await finishPhase(run, {
    name: 'beyond tolerance', faults: [`tolerance + 1 shards of one stripe deleted in each of ${plan.keys.length} objects`],
    damage: { nodes: new Set(), chunks: new Set(plan.chunks) }, degradedRead, healedAt: Date.now(),
  });
  return { keys: plan.keys, report };
}
