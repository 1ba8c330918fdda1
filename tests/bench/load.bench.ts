// `npm run bench -- national`: a whole campaign's files (ledger, services,
// help requests, events: BENCH_PERSONS / BENCH_SERVICES / BENCH_HELP_REQUESTS,
// national size by default) loaded through the product's checked path in one
// run, against ClickHouse's own unchecked parse of the same files measured in
// the same run; then the same files again (a re-load that changes nothing),
// then the next-day delivery on top of the loaded campaign. Every load runs in
// a fresh child process, so each peak RSS is that load's alone (engine
// included). Progress goes to stderr.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { child, fmt, NODE_FLAGS, openContext } from './common';
import { ensureGenerated, keepForOtherBenches, nationalSpec, specLabel, type LoadFigures } from './national';
import { report } from './report';

function log(msg: string): void {
  process.stderr.write(`[national] ${msg}\n`);
}

interface Unchecked {
  ms: number;
  rows: number;
  maxRssMb: number;
  cpuS: number;
}

/** ClickHouse reading the same CSVs with no checks at all: every cell a String, straight into a MergeTree table. */
async function uncheckedLoad(dataDir: string, files: string[]): Promise<Unchecked> {
  const app = await openContext(dataDir);
  const ch = app.get<ClickHouseHandle>(CLICKHOUSE);
  let rows = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const [i, f] of files.entries()) {
    const t = `bench_unchecked_${i}`;
    await ch.client.command({ query: `DROP TABLE IF EXISTS ${t}` });
    await ch.client.command({
      query: `CREATE TABLE ${t} ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file({f:String}, 'CSVWithNames')`,
      query_params: { f },
      clickhouse_settings: { input_format_csv_use_best_effort_in_schema_inference: 0, schema_inference_make_columns_nullable: 0 },
    });
    const rs = await ch.client.query({ query: `SELECT count() AS n FROM ${t}`, format: 'JSONEachRow' });
    rows += Number((await rs.json<{ n: number }>())[0]!.n);
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  await app.close();
  return { ms, rows, maxRssMb: process.resourceUsage().maxRSS / 1024, cpuS: (cpu.user + cpu.system) / 1e6 };
}

function checked(dataDir: string, files: string[]): Promise<LoadFigures> {
  return child<LoadFigures>(path.join(__dirname, 'national.js'), ['load', dataDir, JSON.stringify(files)], NODE_FLAGS);
}

function load1(): string {
  return os.loadavg()[0]!.toFixed(2);
}

export async function benchNational(): Promise<void> {
  const spec = nationalSpec();
  const gen = await ensureGenerated(spec);
  const bytes = gen.files.reduce((a, f) => a + fs.statSync(f).size, 0);
  const dataDir = path.join(gen.dir, 'data-load');
  const rawDir = path.join(gen.dir, 'data-unchecked');
  const loads: string[] = [];

  fs.rmSync(rawDir, { recursive: true, force: true });
  log(`ClickHouse's unchecked parse of ${gen.files.length} files (${fmt(bytes / 2 ** 20)} MB)… load ${load1()}`);
  let l0 = load1();
  const unchecked = async (): Promise<Unchecked> => {
    fs.rmSync(rawDir, { recursive: true, force: true });
    const u = await child<Unchecked>(__filename, ['unchecked', rawDir, JSON.stringify(gen.files)], NODE_FLAGS);
    fs.rmSync(rawDir, { recursive: true, force: true });
    log(`  ${fmt(u.rows)} rows in ${fmt(u.ms / 1000, 1)} s (${fmt(u.cpuS, 1)} CPU s)`);
    return u;
  };
  const rawBefore = await unchecked();
  loads.push(`unchecked parse: ${l0} before, ${load1()} after`);

  fs.rmSync(dataDir, { recursive: true, force: true });
  log(`checked load of the same files into ${dataDir}… load ${load1()}`);
  l0 = load1();
  const first = await checked(dataDir, gen.files);
  loads.push(`first load: ${l0} before, ${load1()} after`);
  log(`  ${fmt(first.rows)} rows in ${fmt(first.ms / 1000, 1)} s (${fmt(first.cpuS ?? 0, 1)} CPU s), peak RSS ${fmt(first.maxRssMb)} MB`);

  // Again after the checked load, so that both sides of the ratio saw the machine's load around it.
  log(`ClickHouse's unchecked parse again… load ${load1()}`);
  l0 = load1();
  const rawAfter = await unchecked();
  loads.push(`unchecked parse again: ${l0} before, ${load1()} after`);
  const raw = { ms: (rawBefore.ms + rawAfter.ms) / 2, rows: rawBefore.rows, cpuS: (rawBefore.cpuS + rawAfter.cpuS) / 2 };

  log(`the same files again… load ${load1()}`);
  l0 = load1();
  const again = await checked(dataDir, gen.files);
  loads.push(`re-load: ${l0} before, ${load1()} after`);
  if (again.inserted !== 0) throw new Error(`a re-load of the same files added ${again.inserted} rows`);
  log(`  ${fmt(again.ms / 1000, 1)} s, nothing added`);

  log(`the next-day delivery on top… load ${load1()}`);
  l0 = load1();
  const delta = await checked(dataDir, gen.deltaFiles);
  loads.push(`next-day delivery: ${l0} before, ${load1()} after`);
  log(`  ${fmt(delta.rows)} rows in ${fmt(delta.ms / 1000, 2)} s, peak RSS ${fmt(delta.maxRssMb)} MB`);
  // The campaign plus its next-day delivery is what the metrics, postgres, api and sse benches share: keep it for them.
  keepForOtherBenches(gen.dir, dataDir, { ...first, generateMs: gen.generateMs }, spec);

  const rps = first.rows / (first.ms / 1000);
  const rawRps = raw.rows / (raw.ms / 1000);
  const ratio = rps / rawRps;
  const sizeArgs = `BENCH_PERSONS=${spec.persons} BENCH_SERVICES=${spec.services} BENCH_HELP_REQUESTS=${spec.helpRequests} `;
  const isDefault = spec.persons === 2_000_000 && spec.services === 30_000_000 && spec.helpRequests === 1_000_000;
  report(isDefault ? 'national' : `national-${spec.persons}`, `${isDefault ? '' : sizeArgs}npm run bench -- national`, [
    { name: 'data', value: `${specLabel(spec)}: ${fmt(first.rows)} rows in ${gen.files.length} files, ${fmt(bytes / 2 ** 20)} MB` },
    { name: 'ClickHouse unchecked parse (file() → MergeTree, every cell a String), mean of one run before and one after', value: fmt(raw.ms / 1000, 1), unit: `s (${fmt(rawBefore.ms / 1000, 1)} / ${fmt(rawAfter.ms / 1000, 1)}), ${fmt(rawRps)} rows/s, ${fmt(raw.cpuS, 1)} CPU s` },
    { name: 'checked load, one run (parse, every rule, hashing, encryption, dedupe, commit)', value: fmt(first.ms / 1000, 1), unit: `s, ${fmt(first.cpuS ?? 0, 1)} CPU s` },
    { name: 'checked rows/s', value: fmt(rps), goal: '≥ 300,000', met: rps >= 300_000 },
    { name: 'ratio checked / unchecked (same run)', value: fmt(ratio, 2), goal: '≥ 0.18', met: ratio >= 0.18 },
    { name: 'ratio of CPU time unchecked / checked (insensitive to other processes)', value: fmt(raw.cpuS / (first.cpuS ?? Infinity), 2) },
    { name: 'peak RSS of the load (whole process, engine included)', value: fmt(first.maxRssMb), unit: 'MB', goal: '≤ 1,024 MB', met: first.maxRssMb <= 1024 },
    { name: 're-load of the same files (nothing added)', value: fmt(again.ms / 1000, 1), unit: `s, ${fmt(again.ms / first.ms, 2)} of the first load`, goal: '≤ 0.2', met: again.ms <= first.ms / 5 },
    { name: 'next-day delivery on top of the loaded campaign', value: fmt(delta.ms / 1000, 2), unit: `s for ${fmt(delta.rows)} rows, peak RSS ${fmt(delta.maxRssMb)} MB` },
    { name: 'machine load (1-min average)', value: loads.join('; ') },
  ], [
    'Each load is a fresh child process (`node --max-semi-space-size=32`, as `npm run cli` runs); times are the load alone, without start-up. The unchecked parse runs in the same engine on the same files just before.',
    'CPU seconds count every thread of the process (the engine\'s included), so their ratio says how much more work the checked path does, whatever else runs on the machine; the wall-clock ratio also depends on how much of the 2 cores each side got.',
    'The machine is shared with other engineers\' builds and tests: compare the ratio, not the absolute rate, between runs at different loads.',
  ]);
}

if (require.main === module) {
  const [mode, dataDir, files] = process.argv.slice(2);
  if (mode !== 'unchecked') throw new Error(`unknown mode ${mode}`);
  uncheckedLoad(dataDir!, JSON.parse(files!) as string[])
    .then((r) => process.stdout.write(JSON.stringify(r) + '\n'))
    .catch((e: unknown) => {
      process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
      process.exit(1);
    });
}
