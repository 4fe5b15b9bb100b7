// Where a report goes: the terminal summary, and the --json/--md/--svg files ("-" is stdout).
import { writeFileSync } from 'node:fs';
import type { BenchReport } from './report-build.ts';
import { renderSvg } from './report-svg.ts';
import { markdownReport, terminalSummary } from './report-text.ts';

export interface OutputFlags {
  json?: string;
  md?: string;
  svg?: string;
}

export function writeOutputs(report: BenchReport, flags: OutputFlags, log: (line: string) => void): void {
  const toStdout = [flags.json, flags.md, flags.svg].includes('-');
  // With a document on stdout, the human summary moves to stderr so the document stays parseable.
  (toStdout ? log : (line: string) => console.log(line))('\n' + terminalSummary(report) + '\n');
  const put = (file: string | undefined, what: string, content: () => string): void => {
    if (file === undefined) return;
    if (file === '-') {
      process.stdout.write(content());
      return;
    }
    writeFileSync(file, content());
    log(`wrote ${what} to ${file}`);
  };
  put(flags.json, 'the JSON report', () => JSON.stringify(report, null, 2) + '\n');
  put(flags.md, 'the Markdown summary', () => markdownReport(report));
  put(flags.svg, 'the chart', () => renderSvg(report));
}

/** The command line as typed, quoted where a shell would need it. */
export function commandLine(prefix: string, args: readonly string[]): string {
  return [prefix, ...args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(' ');
}
