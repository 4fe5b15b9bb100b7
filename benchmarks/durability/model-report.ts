/**
 * `zonestore durability model`'s text (issue #9): for one hardware set, every scheme's annual
 * loss probability and nines by BOTH closed forms — the Backblaze period model (the published
 * convention the issue asks for) and the parallel-repair Markov chain (what the Monte Carlo
 * agrees with; ~(m+1)× more loss) — per stripe group, per object and for the whole deployment,
 * with the assumptions printed above the table. Pure: numbers and text only.
 */
import { annualLossProbability, binomial, moreThanFailProbability, nines, scaleToStripes } from './period-model.ts';
import { exactMarkovAnnualLossProbability, HOURS_PER_YEAR } from './markov-mttdl.ts';
import { combineLosses, unavailableInWindowProbability } from './zone-correlated.ts';
import { DEFAULT_HARDWARE, repairDays, SCHEMES, schemeZoneLoss, shardsPerZone, type Hardware, type Scheme } from './durability-table.ts';
import { countStripeGroups, type StripeGroupCount } from './stripe-groups.ts';
import { validateHardware } from './hardware-validation.ts';

const MIB = 1024 * 1024;

export interface ModelReportOptions {
  readonly schemes?: readonly Scheme[];
  /** object size for the per-object figure (default 16 MiB) */
  readonly objectBytes?: number;
  /** erasure shard size (default 1 MiB, the gateway's ERASURE_SHARD_BYTES) */
  readonly erasureShardBytes?: number;
  /** replica stripe size (default 4 MiB, the gateway's REPLICA_STRIPE_BYTES) */
  readonly replicaStripeBytes?: number;
}

/** Loss figures under one closed form; all annual probabilities. */
export interface LossFigures {
  /** one stripe group: drive failures and zone outages combined */
  readonly perGroup: number;
  readonly perObject: number;
  readonly deployment: number;
}

export interface ModelRow {
  readonly scheme: string;
  readonly n: number;
  readonly m: number;
  readonly groups: StripeGroupCount;
  readonly stripesPerObject: number;
  /** zone-outage annual loss of one group (0 when outages are off) */
  readonly zoneLoss: number;
  readonly period: LossFigures;
  readonly markov: LossFigures;
}

/**
 * Zone outages across the deployment. They hit every group at once, so scaling the per-group
 * figure by G would count one outage G times. Instead: an outage is a loss when t+1 drives
 * that share some stripe fail in the window (t = tolerance left); there are at most
 * K = min(C(drives outside the zone, t+1), G·C(n−s, t+1)) such drive sets, each down with
 * p^(t+1): P(loss | outage) = 1 − (1 − p^(t+1))^K. The same for a second zone out inside W.
 */
function deploymentZoneLoss(hw: Hardware, s: Scheme, groups: number): number {
  if (!(hw.zoneOutagesPerYear > 0) || groups === 0) return 0;
  const R = repairDays(hw) * 24;
  const window = hw.zoneOutageHours + R;
  const p = unavailableInWindowProbability(hw.afr, window, R);
  const drivesPerZone = hw.nodesPerZone * hw.drivesPerNode;
  const shards = shardsPerZone(hw, s);
  const given = (zonesOut: number): number => {
    const left = s.m - zonesOut * shards;
    if (left < 0) return 1;
    const remaining = s.n - zonesOut * shards;
    if (remaining <= left) return 0;
    const sets = Math.min(binomial((hw.zones - zonesOut) * drivesPerZone, left + 1), groups * binomial(remaining, left + 1));
    return sets === 0 ? 0 : -Math.expm1(sets * Math.log1p(-(p ** (left + 1))));
  };
  const second = hw.zones > 1 ? -Math.expm1((-hw.zoneOutagesPerYear * ((hw.zones - 1) / hw.zones) * window) / HOURS_PER_YEAR) : 0;
  const perOutage = combineLosses(given(1), hw.zones > 1 ? second * given(2) : 0);
  return -Math.expm1(-hw.zoneOutagesPerYear * perOutage);
}

function figures(driveLoss: number, zoneLoss: number, deploymentZone: number, stripesPerObject: number, groups: number): LossFigures {
  if (groups === 0) return { perGroup: NaN, perObject: NaN, deployment: NaN };
  return {
    perGroup: combineLosses(driveLoss, zoneLoss),
    perObject: combineLosses(scaleToStripes(driveLoss, Math.min(stripesPerObject, groups)), zoneLoss),
    deployment: combineLosses(scaleToStripes(driveLoss, groups), deploymentZone),
  };
}

export function modelRows(hw: Hardware = DEFAULT_HARDWARE, opts: ModelReportOptions = {}): ModelRow[] {
  validateHardware(hw);
  const R = repairDays(hw);
  const objectBytes = opts.objectBytes ?? 16 * MIB;
  return (opts.schemes ?? SCHEMES).map((s) => {
    const k = s.n - s.m;
    const replicas = k === 1;
    const shardBytes = replicas ? (opts.replicaStripeBytes ?? 4 * MIB) : (opts.erasureShardBytes ?? MIB);
    const groups = countStripeGroups(hw, s.n, shardBytes);
    const stripesPerObject = Math.max(1, Math.ceil(objectBytes / (k * shardBytes)));
    const zoneLoss = schemeZoneLoss(hw, s);
    const deploymentZone = deploymentZoneLoss(hw, s, groups.groups);
    const periodDrive = annualLossProbability({ n: s.n, m: s.m, afr: hw.afr, repairDays: R });
    const markovDrive = exactMarkovAnnualLossProbability({ n: s.n, m: s.m, afr: hw.afr, mttrHours: R * 24, repair: 'parallel' });
    return {
      scheme: s.name,
      n: s.n,
      m: s.m,
      groups,
      stripesPerObject,
      zoneLoss,
      period: figures(periodDrive, zoneLoss, deploymentZone, stripesPerObject, groups.groups),
      markov: figures(markovDrive, zoneLoss, deploymentZone, stripesPerObject, groups.groups),
    };
  });
}

/**
 * The repair bandwidth (MiB/s per failed drive, detection delay kept) at which a scheme's
 * per-group loss reaches `targetNines` under one model, by bisection on log bandwidth; null
 * if even 1e6 MiB/s does not get there (zone outages or detection delay dominate).
 */
export function requiredRepairMiBps(hw: Hardware, scheme: Scheme, targetNines: number, model: 'period' | 'markov'): number | null {
  const ninesAt = (mibps: number) => {
    const at = { ...hw, repairMiBps: mibps };
    const R = repairDays(at);
    const drive =
      model === 'period'
        ? annualLossProbability({ n: scheme.n, m: scheme.m, afr: hw.afr, repairDays: R })
        : exactMarkovAnnualLossProbability({ n: scheme.n, m: scheme.m, afr: hw.afr, mttrHours: R * 24, repair: 'parallel' });
    return nines(combineLosses(drive, schemeZoneLoss(at, scheme)));
  };
  let low = 1e-3;
  let high = 1e6;
  if (ninesAt(high) < targetNines) return null;
  if (ninesAt(low) >= targetNines) return low;
  for (let i = 0; i < 60; i++) {
    const mid = Math.sqrt(low * high);
    if (ninesAt(mid) >= targetNines) high = mid;
    else low = mid;
  }
  return high;
}

const loss = (p: number) => (Number.isNaN(p) ? '—' : p === 0 ? '0' : p.toExponential(2));
const ninesText = (p: number) => (Number.isNaN(p) ? '—' : p === 0 ? '∞' : nines(p).toFixed(1));
const cells = (widths: readonly number[], values: readonly string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('');

export function renderModelReport(hw: Hardware = DEFAULT_HARDWARE, opts: ModelReportOptions = {}): string {
  const rows = modelRows(hw, opts);
  const R = repairDays(hw);
  const rebuildHours = R * 24 - (hw.detectionHours ?? 0);
  const objectMiB = (opts.objectBytes ?? 16 * MIB) / MIB;
  const lines = [
    'durability model (issue #9)',
    `hardware: ${hw.zones} zones × ${hw.nodesPerZone} nodes × ${hw.drivesPerNode} drives of ${(hw.driveBytes / 1e12).toFixed(1)} TB, fill ${(hw.fill * 100).toFixed(0)} %`,
    `drive AFR ${(hw.afr * 100).toFixed(2)} %/yr; repair ${hw.repairMiBps} MiB/s per failed drive → rebuild ${rebuildHours.toFixed(1)} h + detection ${hw.detectionHours ?? 0} h → R = ${(R * 24).toFixed(1)} h (${R.toFixed(2)} days)`,
    hw.zoneOutagesPerYear > 0
      ? `zone outages: ${hw.zoneOutagesPerYear}/yr of ${hw.zoneOutageHours} h, a zone's shards away for that plus R of backlog; counted as loss when too few shards remain (conservative: usually unavailability)`
      : 'zone outages: not modelled (rate 0)',
    'assumptions: independent exponential drive failures (constant AFR); fixed bandwidth-limited repair, all failed drives rebuilt at once;',
    '  no bitrot / latent sector errors, operator error, software bugs, node or rack correlation; shards spread round-robin over zones,',
    '  one per node while a zone has nodes to spare (placement.ts); a stripe group = the drives holding one stripe',
    'period = Backblaze period model (published convention); Markov = parallel-repair birth–death chain (agrees with the Monte Carlo, ~(m+1)× the period loss)',
    '',
    'per stripe group (annual loss probability, nines):',
  ];
  const w1 = [24, 4, 4, 13, 13, 7, 13, 7];
  lines.push(cells(w1, ['scheme', 'n', 'm', 'per zone', 'period', 'nines', 'Markov', 'nines']));
  for (const r of rows) {
    lines.push(cells(w1, [r.scheme, String(r.n), String(r.m), r.groups.layout.join('/'), loss(r.period.perGroup), ninesText(r.period.perGroup), loss(r.markov.perGroup), ninesText(r.markov.perGroup)]));
  }
  lines.push(
    '',
    `per object of ${objectMiB} MiB (its stripes on distinct groups) and whole deployment (G stripe groups, see stripe-groups.ts: min(drive sets a stripe can occupy, stripes stored)):`,
  );
  const w2 = [24, 8, 10, 9, 9, 13, 7, 13, 7];
  lines.push(cells(w2, ['scheme', 'stripes', 'G', 'object', 'object', 'deployment', 'nines', 'deployment', 'nines']));
  lines.push(cells(w2, ['', '/object', '', 'period', 'Markov', 'period', '', 'Markov', '']));
  for (const r of rows) {
    lines.push(cells(w2, [r.scheme, String(r.stripesPerObject), r.groups.groups.toExponential(2), ninesText(r.period.perObject), ninesText(r.markov.perObject), loss(r.period.deployment), ninesText(r.period.deployment), loss(r.markov.deployment), ninesText(r.markov.deployment)]));
  }
  const targetScheme = (opts.schemes ?? SCHEMES).find((s) => s.name.startsWith('RS(6,3)'));
  const target = rows.find((r) => r.scheme === targetScheme?.name);
  if (target && targetScheme) {
    const needed = (model: 'period' | 'markov') => {
      const mibps = requiredRepairMiBps(hw, targetScheme, 12, model);
      return mibps === null ? '12 nines not reachable by repair speed' : `12 nines from ${mibps.toFixed(0)} MiB/s`;
    };
    const verdict = (p: number, model: 'period' | 'markov') =>
      Number.isNaN(p) ? 'the scheme does not fit this hardware' : `${nines(p) >= 12 ? 'meets' : 'misses'}; ${needed(model)}`;
    lines.push(
      '',
      `target (issue #9): ≥ 12 nines for RS(6,3) per stripe group (= per object of up to one stripe, ${((targetScheme.n - targetScheme.m) * (opts.erasureShardBytes ?? MIB)) / MIB} MiB); the deployment figure is not what it refers to`,
      `  period model ${ninesText(target.period.perGroup)} (${verdict(target.period.perGroup, 'period')}), ` +
        `Markov ${ninesText(target.markov.perGroup)} (${verdict(target.markov.perGroup, 'markov')})`,
    );
  }
  return lines.join('\n');
}
