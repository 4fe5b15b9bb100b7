// The flags of `zonestore chaos`, parsed and checked. Pure.
import { InvalidArgumentError } from 'commander';
import { SCENARIOS, type ScenarioName } from '../../../test/chaos/nemesis/nemesis-fault.ts';

export interface ChaosFlags {
  scenario: ScenarioName;
  duration: number;
  seed: number;
  seeds?: number[];
  clients: number;
  keys: number;
  out: string;
  network: 'proxy' | 'proxy+nft';
  fastTiming: boolean;
  keep: boolean;
  results: boolean;
  repairTimeout: number;
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000 };

/** `60s`, `2m`, `500ms` or a bare number of seconds → ms. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`not a duration: ${value} (e.g. 60s, 2m, 500ms)`);
  const ms = Math.round(Number(m[1]) * UNITS[m[2] ?? 's']!);
  if (ms <= 0) throw new InvalidArgumentError(`a duration must be positive: ${value}`);
  return ms;
}

/** `1-30`, `4,7,9` or a mix (`1-5,9`) → the seeds, in order, without repeats. */
export function parseSeeds(value: string): number[] {
  const out: number[] = [];
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (b < a || b - a > 10_000) throw new InvalidArgumentError(`not a seed range: ${part}`);
      for (let s = a; s <= b; s++) out.push(s);
    } else if (/^\d+$/.test(part)) {
      out.push(Number(part));
    } else {
      throw new InvalidArgumentError(`not a seed or seed range: ${part}`);
    }
  }
  if (out.length === 0) throw new InvalidArgumentError(`no seeds in ${value}`);
  return [...new Set(out)];
}

export function parseScenario(value: string): ScenarioName {
  if (!(SCENARIOS as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown scenario ${value} (one of ${SCENARIOS.join(', ')})`);
  return value as ScenarioName;
}

export function parseNetwork(value: string): 'proxy' | 'proxy+nft' {
  if (value !== 'proxy' && value !== 'proxy+nft') throw new InvalidArgumentError(`--network is proxy or proxy+nft, not ${value}`);
  return value;
}
