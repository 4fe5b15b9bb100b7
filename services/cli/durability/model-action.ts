// `zonestore durability model` and `durability report`: the durability model for a layout, as
// text (and an SVG of nines against repair time); `report` takes the repair throughput a
// measured run recorded instead of a given one.
import { readFileSync, writeFileSync } from 'node:fs';
import { hardwareFrom, renderModelReport, renderNinesPlot, type Hardware } from '../../../benchmarks/durability/index.ts';
import type { MeasuredRunReport } from '../../../benchmarks/durability/measured/measured-run.ts';

export interface HardwareFlags {
  zones?: number;
  nodesPerZone?: number;
  drivesPerNode?: number;
  driveTb?: number;
  fill?: number;
  afr?: number;
  repairMibps?: number;
  detectionHours?: number;
  zoneOutagesPerYear?: number;
  zoneOutageHours?: number;
  svg?: string;
}

/** Flags → Hardware: the defaults where a flag is absent, AFR given in percent, drives in TB. */
export function hardwareOf(f: HardwareFlags, measuredRepairMiBps?: number): Hardware {
  return hardwareFrom({
    zones: f.zones, nodesPerZone: f.nodesPerZone, drivesPerNode: f.drivesPerNode,
    driveBytes: f.driveTb === undefined ? undefined : f.driveTb * 1e12, fill: f.fill,
    afr: f.afr === undefined ? undefined : f.afr / 100, repairMiBps: measuredRepairMiBps ?? f.repairMibps,
    detectionHours: f.detectionHours, zoneOutagesPerYear: f.zoneOutagesPerYear, zoneOutageHours: f.zoneOutageHours,
  });
}

function print(hw: Hardware, f: HardwareFlags, heading: string[] = []): void {
  console.log([...heading, renderModelReport(hw)].join('\n'));
  if (f.svg) {
    writeFileSync(f.svg, renderNinesPlot(hw));
    console.log(`plot: ${f.svg} (nines against repair time per scheme)`);
  }
}

export function durabilityModelAction(f: HardwareFlags): void {
  print(hardwareOf(f), f);
}

export function durabilityReportAction(f: HardwareFlags & { from: string }): void {
  if (f.repairMibps !== undefined) throw new Error('durability report takes the repair throughput from the run (--from); use `durability model --repair-mibps` to give one');
  const run = JSON.parse(readFileSync(f.from, 'utf8')) as MeasuredRunReport;
  if (!(run.repairMiBps > 0) || !Array.isArray(run.phases)) throw new Error(`${f.from} is not a measured run report with a repair throughput`);
  const zone = run.phases[0]!;
  // A tenth of a MiB/s is as precise as one run measures it.
  print(hardwareOf(f, Math.round(run.repairMiBps * 10) / 10), f, [
    `measured (${f.from}, ${run.finishedAt}): ${run.objects} objects, seed ${run.seed}; phase "${zone.name}" rebuilt`
      + ` ${(zone.repair.bytesRebuilt / 2 ** 20).toFixed(1)} MiB in ${(zone.repair.repairMs / 1000).toFixed(1)} s = ${run.repairMiBps.toFixed(1)} MiB/s,`
      + ` used below as the repair speed of one failed drive (scaled to the drives given: R = drive bytes × fill / speed)`,
    `measured losses: ${run.lost.length} of ${run.objects} objects, ${run.wrongBytes.length} served with wrong bytes`,
    '',
  ]);
}
