// A chaos campaign's section of benchmarks/RESULTS.md, one per scenario between its own
// markers, so a re-run of one scenario's campaign replaces only its section. Pure.
import { describeCampaign, rtoMarkdown, type CampaignSummary } from '../../../test/chaos/run/campaign-summary.ts';
import type { SectionMarkers } from '../bench/results-file.ts';

export function chaosMarkers(scenario: string): SectionMarkers {
  return {
    begin: `<!-- chaos-${scenario}:begin (written by \`zonestore chaos --results\`; edits inside are overwritten) -->`,
    end: `<!-- chaos-${scenario}:end -->`,
  };
}

export function chaosSection(o: {
  scenario: string; command: string; machine: string; date: string; durationMs: number; seeds: readonly number[];
  summary: CampaignSummary; wallMs: number;
}): string {
  const m = chaosMarkers(o.scenario);
  return [
    m.begin,
    `## Chaos campaign: ${o.scenario}`,
    '',
    `Command: \`${o.command}\``,
    `Machine: ${o.machine}. Date: ${o.date}. ${o.seeds.length} runs of ${(o.durationMs / 1000).toFixed(0)} s each (seeds ${o.seeds[0]}–${o.seeds.at(-1)}), ${(o.wallMs / 60_000).toFixed(1)} min in all.`,
    '',
    '```',
    describeCampaign(o.summary),
    '```',
    '',
    'Write RTO per fault: the longest stretch, from the fault until the next one (or the end), during which no write was acknowledged through any gateway.',
    '',
    rtoMarkdown(o.summary),
    m.end,
  ].join('\n');
}
