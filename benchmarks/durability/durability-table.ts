/**
 * Durability of several schemes on the same hardware (issue #9), pure: numbers and text only.
 *
 * Hardware: zones × nodes per zone × drives per node of `driveBytes`, filled to `fill`, drives
 * failing at `afr`. A lost drive is rebuilt at `repairMiBps`, so
 *   R = driveBytes × fill / repair bandwidth
 * (plus the detection delay, if any) and each scheme's per-stripe-group annual loss is the
 * period model at that R, plus, when a zone outage rate is given, the zone-correlated
 * contribution. model-report.ts adds the Markov column and per-object / deployment figures.
 */
import { annualLossProbability, nines } from './period-model.ts';
import { repairDaysForBandwidth } from './monte-carlo.ts';
import { combineLosses, zoneOutageAnnualLoss } from './zone-correlated.ts';
import { zoneLayout } from './zone-monte-carlo.ts';

export interface Hardware {
  readonly zones: number;
  readonly nodesPerZone: number;
  readonly drivesPerNode: number;
  readonly driveBytes: number;
  /** fraction of each drive holding data, 0..1 */
  readonly fill: number;
  /** fraction per year */
  readonly afr: number;
  /** repair bandwidth per failed drive, MiB/s */
  readonly repairMiBps: number;
  /** zone outages per year (0: ignore zone-correlated failures) */
  readonly zoneOutagesPerYear: number;
  readonly zoneOutageHours: number;
  /** hours from a drive failing to its rebuild starting (heartbeat, scrub); added to R. Default 0. */
  readonly detectionHours?: number;
}

export const DEFAULT_HARDWARE: Hardware = {
  zones: 3,
  nodesPerZone: 3,
  drivesPerNode: 12,
  driveBytes: 16e12,
  fill: 0.7,
  afr: 0.0157,
  repairMiBps: 100,
  zoneOutagesPerYear: 0,
  zoneOutageHours: 0,
  detectionHours: 0,
};

export interface Scheme {
  readonly name: string;
  readonly n: number;
  readonly m: number;
  /**
   * most shards of one stripe in a single zone, on the 3-zone design (informational: the models
   * derive the spread from hw.zones with zoneLayout, which gives these numbers for 3 zones)
   */
  readonly maxShardsPerZone: number;
}

export const SCHEMES: readonly Scheme[] = [
  { name: 'RS(6,3) zone-spread', n: 9, m: 3, maxShardsPerZone: 3 },
  { name: 'RS(10,4)', n: 14, m: 4, maxShardsPerZone: 5 },
  { name: 'RS(4,2)', n: 6, m: 2, maxShardsPerZone: 2 },
  { name: '3-replica, 1 per zone', n: 3, m: 2, maxShardsPerZone: 1 },
  { name: '2-replica', n: 2, m: 1, maxShardsPerZone: 1 },
];

export interface DurabilityRow {
  readonly scheme: string;
  readonly n: number;
  readonly m: number;
  readonly driveLoss: number;
  readonly zoneLoss: number;
  readonly annualLoss: number;
  readonly nines: number;
}

/** R in days: one drive's data rebuilt at the repair bandwidth, plus the detection delay. */
export function repairDays(hw: Hardware): number {
  return repairDaysForBandwidth(hw.driveBytes * hw.fill, hw.repairMiBps) + (hw.detectionHours ?? 0) / 24;
}

/** The largest zone's share of a stripe when its n shards go round-robin over hw.zones. */
export function shardsPerZone(hw: Hardware, s: Scheme): number {
  return Math.max(...zoneLayout(s.n, hw.zones));
}

/** The zone-correlated annual loss of one scheme on this hardware (0 when outages are off). */
export function schemeZoneLoss(hw: Hardware, s: Scheme): number {
  if (!(hw.zoneOutagesPerYear > 0)) return 0;
  const R = repairDays(hw);
  return zoneOutageAnnualLoss({
    n: s.n,
    m: s.m,
    shardsPerZone: shardsPerZone(hw, s),
    afr: hw.afr,
    outagesPerYear: hw.zoneOutagesPerYear,
    outageHours: hw.zoneOutageHours,
    backlogHours: R * 24,
    driveRepairHours: R * 24,
    zones: hw.zones,
  });
}

export function durabilityTable(hw: Hardware = DEFAULT_HARDWARE, schemes: readonly Scheme[] = SCHEMES): DurabilityRow[] {
  const R = repairDays(hw);
  return schemes.map((s) => {
    const driveLoss = annualLossProbability({ n: s.n, m: s.m, afr: hw.afr, repairDays: R });
    const zoneLoss = schemeZoneLoss(hw, s);
    const annualLoss = combineLosses(driveLoss, zoneLoss);
    return { scheme: s.name, n: s.n, m: s.m, driveLoss, zoneLoss, annualLoss, nines: nines(annualLoss) };
  });
}

export function renderDurabilityTable(hw: Hardware = DEFAULT_HARDWARE, rows: readonly DurabilityRow[] = durabilityTable(hw)): string {
  const R = repairDays(hw);
  const lines = [
    `hardware: ${hw.zones} zones × ${hw.nodesPerZone} nodes × ${hw.drivesPerNode} drives of ${(hw.driveBytes / 1e12).toFixed(0)} TB, fill ${(hw.fill * 100).toFixed(0)} %`,
    `drive AFR ${(hw.afr * 100).toFixed(2)} %/yr, repair ${hw.repairMiBps} MiB/s per drive${hw.detectionHours ? ` + ${hw.detectionHours} h detection` : ''} → R = ${R.toFixed(2)} days (${(R * 24).toFixed(1)} h)`,
    hw.zoneOutagesPerYear > 0
      ? `zone outages: ${hw.zoneOutagesPerYear}/yr of ${hw.zoneOutageHours} h, plus R of repair backlog`
      : 'zone outages: not modelled (rate 0)',
    'model: Backblaze period model per stripe group; independent drive failures; no bitrot, no operator error',
    '',
    `${'scheme'.padEnd(24)}${'n'.padStart(4)}${'m'.padStart(4)}${'annual loss'.padStart(14)}${'nines'.padStart(8)}`,
  ];
  for (const r of rows) {
    lines.push(`${r.scheme.padEnd(24)}${String(r.n).padStart(4)}${String(r.m).padStart(4)}${r.annualLoss.toExponential(2).padStart(14)}${r.nines.toFixed(1).padStart(8)}`);
  }
  return lines.join('\n');
}
