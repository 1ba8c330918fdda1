// Bench results: one JSON line on stdout per benchmark, and the benchmark's
// section of docs/benchmarks.md rewritten between its markers.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../backend/src/config/paths';

function docPath(): string {
  return path.join(repoRoot(), 'docs', 'benchmarks.md');
}

export interface Figure {
  name: string;
  value: number | string;
  unit?: string;
  goal?: string;
  met?: boolean | null;
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function report(bench: string, command: string, figures: Figure[], notes: string[] = []): void {
  const json: Record<string, unknown> = { bench };
  for (const f of figures) json[f.name] = f.value;
  process.stdout.write(JSON.stringify(json) + '\n');
  const file = docPath();
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\nMeasured on this machine by `npm run bench`; each section is rewritten by its benchmark.\n';
  const begin = `<!-- bench:${bench} -->`;
  const end = `<!-- /bench:${bench} -->`;
  const rows = figures.map((f) => `| ${f.name} | ${f.value}${f.unit ? ' ' + f.unit : ''} | ${f.goal ?? ''} | ${f.met === undefined || f.met === null ? '' : f.met ? 'met' : '**missed**'} |`);
  const section = [
    begin,
    `## ${bench}`,
    '',
    `Command: \`${command}\` — measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}.`,
    '',
    '| figure | measured | goal | |',
    '| --- | --- | --- | --- |',
    ...rows,
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
    end,
  ].join('\n');
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + section + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, doc);
}
