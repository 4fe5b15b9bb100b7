// benchmarks/RESULTS.md is written by several runners, each owning the section between its own
// begin/end markers: a run replaces its section (or appends it the first time) and leaves the
// rest of the file as it was.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface SectionMarkers {
  begin: string;
  end: string;
}

/** `text` with the section between the markers replaced, or appended when there is none yet. */
export function replaceMarkedSection(text: string, section: string, m: SectionMarkers): string {
  const begin = text.indexOf(m.begin);
  const end = text.indexOf(m.end);
  if (begin >= 0 && end > begin) return text.slice(0, begin) + section + text.slice(end + m.end.length);
  return `${text.trimEnd()}\n\n${section}\n`;
}

export function writeMarkedSection(file: string, section: string, m: SectionMarkers): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  writeFileSync(file, replaceMarkedSection(text, section, m));
}
