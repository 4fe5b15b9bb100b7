/**
 * Checked Hardware inputs for the durability model (issue #9): the CLI hands in flags or a
 * measured repair speed, and a typo (fill 70 instead of 0.7, a negative AFR) must fail with a
 * message naming the field rather than print a confident table of nonsense. Pure.
 */
import { z } from 'zod';
import { DEFAULT_HARDWARE, type Hardware } from './durability-table.ts';

// zod 4 rejects NaN and ±Infinity as "not a number" already; say which field, and say missing.
const number = (what: string) =>
  z.number({ error: (issue) => (issue.input === undefined ? `${what} is missing` : `${what} must be a finite number`) });
const count = (what: string) => number(what).int(`${what} must be a whole number`).min(1, `${what} must be at least 1`);
const nonNegative = (what: string) => number(what).min(0, `${what} must not be negative`);
const positive = (what: string) => number(what).positive(`${what} must be above 0`);

export const hardwareSchema = z.strictObject({
  zones: count('zones').max(255, 'zones must be at most 255'),
  nodesPerZone: count('nodesPerZone'),
  drivesPerNode: count('drivesPerNode'),
  driveBytes: positive('driveBytes'),
  fill: positive('fill').max(1, 'fill is a fraction: at most 1 (0.7 for 70 %)'),
  afr: positive('afr').max(10, 'afr is a fraction per year: 0.0157 for 1.57 % (at most 10)'),
  repairMiBps: positive('repairMiBps'),
  zoneOutagesPerYear: nonNegative('zoneOutagesPerYear'),
  zoneOutageHours: nonNegative('zoneOutageHours'),
  detectionHours: nonNegative('detectionHours').optional(),
});

/** The Hardware in `input`, or an Error listing every bad field. */
export function validateHardware(input: unknown): Hardware {
  const parsed = hardwareSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`durability model: bad hardware: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** DEFAULT_HARDWARE with `overrides` applied (undefined values ignored), validated. */
export function hardwareFrom(overrides: Partial<Record<keyof Hardware, number | undefined>> = {}): Hardware {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return validateHardware({ ...DEFAULT_HARDWARE, ...defined });
}
