// The national-size campaign the metrics, PostgreSQL, API and SSE benchmarks
// share: generated once with the demo generator (streaming, deterministic by
// seed) and loaded once through the product's checked ingest path into its own
// data directory; both are reused while the sizes match.
//
//   BENCH_PERSONS (2,000,000), BENCH_SERVICES (30,000,000) and
//   BENCH_HELP_REQUESTS (1,000,000) scale it (e.g. 200000 / 3000000 / 100000
//   for a quick run); BENCH_DIR (default /tmp/campaign-bench) holds it.
//
// Beside the generated files sits a small "next day" delivery (delta-*.csv:
// new service records and ledger versions for a few thousand persons), loaded
// as the last runs: the benchmarks replay it to time an incremental refresh.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { generateDemo } from '../../backend/src/demo/demo.generator';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { benchDir, child, fmt, openContext } from './common';

export interface NationalSpec {
  persons: number;
  services: number;
  helpRequests: number;
  seed: number;
}

export interface NationalData {
  spec: NationalSpec;
  csvDir: string;
  /** The generated files, in load order, then the delta files. */
  files: string[];
  deltaFiles: string[];
  dataDir: string;
  load: LoadFigures;
}

export interface LoadFigures {
  ms: number;
  rows: number;
  inserted: number;
  maxRssMb: number;
  generateMs: number;
  /** CPU seconds of the whole process (every thread, engine included) during the load. */
  cpuS?: number;
}

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (!v) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got "${v}"`);
  return n;
}

export function nationalSpec(): NationalSpec {
  return {
    persons: envInt('BENCH_PERSONS', 2_000_000),
    services: envInt('BENCH_SERVICES', 30_000_000),
    helpRequests: envInt('BENCH_HELP_REQUESTS', 1_000_000),
    seed: 2022,
  };
}

export function specLabel(s: NationalSpec): string {
  return `${fmt(s.persons)} persons, ${fmt(s.services)} service records, ${fmt(s.helpRequests)} help requests (seed ${s.seed})`;
}

export function baseDir(s: NationalSpec): string {
  const d = nationalSpec();
  const isDefault = s.persons === 2_000_000 && s.services === 30_000_000 && s.helpRequests === 1_000_000 && s.seed === d.seed;
  return benchDir(isDefault ? 'national' : `national-${s.persons}-${s.services}-${s.helpRequests}`);
}

function sameSpec(a: NationalSpec, b: NationalSpec): boolean {
  return a.persons === b.persons && a.services === b.services && a.helpRequests === b.helpRequests && a.seed === b.seed;
}

function log(msg: string): void {
  process.stderr.write(`[national] ${msg}\n`);
}

/**
 * The "next day" delivery: for every 500th person of the ledger, a new ledger
 * version (the latest one, now employed, stamped 2022-12-31 18:00) and two new
 * service records — deterministic, derived from the generated files.
 */
async function writeDelta(csvDir: string): Promise<string[]> {
  const ledgerOut = path.join(csvDir, 'delta-ledger.csv');
  const servicesOut = path.join(csvDir, 'delta-services.csv');
  if (fs.existsSync(ledgerOut) && fs.existsSync(servicesOut)) return [ledgerOut, servicesOut];
  const rl = readline.createInterface({ input: fs.createReadStream(path.join(csvDir, 'ledger.csv'), 'utf8'), crlfDelay: Infinity });
  let header = '';
  const latest = new Map<string, string>();
  let idx = 0;
  let prevId = '';
  for await (const line of rl) {
    if (!header) {
      header = line.replace(/^\uFEFF/, '');
      continue;
    }
    const id = line.slice(0, line.indexOf(','));
    if (id !== prevId) {
      idx++;
      prevId = id;
    }
    // The quoted cells (if any) never come before 县区代码, so the fixed positions below hold.
    if (idx % 500 === 0 && !line.includes('"')) latest.set(id, line);
  }
  const ledgerLines = [header];
  const serviceLines = ['记录编号,身份证号,服务时间,服务类型,联系方式,联系结果,县区代码,服务人员,备注'];
  let n = 0;
  for (const [id, line] of latest) {
    const c = line.split(',');
    const county = c[11] || '220102';
    // 就业状态 已就业 with a 就业日期, stamped at the end of the campaign.
    c[15] = '已就业';
    c[16] = '2022-12-30';
    c[17] = '2022-12-31 18:00:00';
    if (!c[11]) c[11] = county;
    ledgerLines.push(c.join(','));
    serviceLines.push(`BX${String(++n).padStart(9, '0')},${id},2022-12-31 10:00:00,联系,电话,已联系,${county},基准测试,`);
    serviceLines.push(`BX${String(++n).padStart(9, '0')},${id},2022-12-31 11:00:00,岗位推介,,,${county},基准测试,`);
  }
  fs.writeFileSync(ledgerOut, '\uFEFF' + ledgerLines.join('\n') + '\n');
  fs.writeFileSync(servicesOut, '\uFEFF' + serviceLines.join('\n') + '\n');
  log(`wrote the next-day delivery: ${fmt(ledgerLines.length - 1)} ledger versions, ${fmt(serviceLines.length - 1)} service records`);
  return [ledgerOut, servicesOut];
}

/** The campaign's generated files (generated when missing or of other sizes), and the next-day delivery beside them. */
export async function ensureGenerated(spec: NationalSpec = nationalSpec()): Promise<{ dir: string; csvDir: string; files: string[]; deltaFiles: string[]; generateMs: number }> {
  const dir = baseDir(spec);
  const csvDir = path.join(dir, 'csv');
  const specFile = path.join(csvDir, 'spec.json');
  type Generated = NationalSpec & { files: Array<{ path: string; kind: string }>; careFiles?: Array<{ path: string; kind: string }>; generateMs?: number };
  let gen: Generated | null = null;
  if (fs.existsSync(specFile)) {
    const s = JSON.parse(fs.readFileSync(specFile, 'utf8')) as Generated;
    // Data generated before kinds 9–12 existed (no careFiles) is generated again.
    if (sameSpec(s, spec) && s.careFiles && [...s.files, ...s.careFiles].every((f) => fs.existsSync(f.path))) gen = s;
  }
  if (!gen) {
    log(`generating ${specLabel(spec)} into ${csvDir} (about a minute per 2 M persons)…`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(csvDir, { recursive: true });
    const t0 = performance.now();
    let last = 0;
    const res = await generateDemo({
      outDir: csvDir, ...spec,
      onProgress: (done, total) => {
        if (performance.now() - last > 10_000) {
          last = performance.now();
          log(`  generated ${fmt(done)} / ${fmt(total)} persons`);
        }
      },
    });
    gen = { ...spec, files: res.files, careFiles: res.careFiles, generateMs: performance.now() - t0 };
    fs.writeFileSync(specFile, JSON.stringify(gen));
  }
  const deltaFiles = await writeDelta(csvDir);
  // Kinds 9–12 (help plans and their return visits, rights cases, publications, stories) load after the base kinds.
  const files = [...gen.files, ...(gen.careFiles ?? [])].map((f) => f.path);
  return { dir, csvDir, files, deltaFiles, generateMs: gen.generateMs ?? 0 };
}

/** Generates (if needed) and loads (if needed) the national campaign; returns where it is. */
export async function ensureNational(): Promise<NationalData> {
  const spec = nationalSpec();
  const { dir, csvDir, files, deltaFiles, generateMs } = await ensureGenerated(spec);
  const dataDir = path.join(dir, 'data');
  const loadedFile = path.join(dataDir, 'loaded.json');
  let load: LoadFigures | null = null;
  if (fs.existsSync(loadedFile)) {
    const l = JSON.parse(fs.readFileSync(loadedFile, 'utf8')) as LoadFigures & { spec: NationalSpec; delta?: boolean; care?: boolean };
    if (sameSpec(l.spec, spec) && l.delta && l.care) load = l;
  }
  if (!load) {
    const partial = fs.existsSync(loadedFile) && (JSON.parse(fs.readFileSync(loadedFile, 'utf8')) as { care?: boolean }).care === true;
    if (!partial) fs.rmSync(dataDir, { recursive: true, force: true });
    log(`loading into ${dataDir} through the checked ingest path (several minutes at national size)…`);
    const r = await child<LoadFigures>(__filename, ['load', dataDir, JSON.stringify(partial ? deltaFiles : [...files, ...deltaFiles])]);
    const prev = partial ? (JSON.parse(fs.readFileSync(loadedFile, 'utf8')) as LoadFigures) : null;
    load = prev ? { ...prev } : { ...r, generateMs };
    fs.writeFileSync(loadedFile, JSON.stringify({ ...load, spec, delta: true, care: true }));
  }
  return { spec, csvDir, files, deltaFiles, dataDir, load };
}

/** Makes a data directory loaded with the campaign and its next-day delivery the one ensureNational() reuses. */
export function keepForOtherBenches(dir: string, loadedDir: string, load: LoadFigures, spec: NationalSpec): void {
  const dataDir = path.join(dir, 'data');
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.renameSync(loadedDir, dataDir);
  fs.writeFileSync(path.join(dataDir, 'loaded.json'), JSON.stringify({ ...load, spec, delta: true, care: true }));
}

async function loadChild(dataDir: string, files: string[]): Promise<LoadFigures> {
  const app = await openContext(dataDir);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let last = 0;
  const s = await app.get(IngestService).loadFiles(files, {
    source: 'bench',
    onProgress: (file, rows) => {
      if (performance.now() - last > 15_000) {
        last = performance.now();
        log(`  ${path.basename(file)}: ${fmt(rows)} rows, ${fmt((performance.now() - t0) / 1000)} s, RSS ${fmt(process.memoryUsage().rss / 2 ** 20)} MB`);
      }
    },
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  await app.close();
  if (s.failed) throw new Error(`national load failed: ${JSON.stringify(s.files.filter((f) => f.error).map((f) => f.error))}`);
  return { ms, rows: s.accepted + s.rejected, inserted: s.inserted, maxRssMb: process.resourceUsage().maxRSS / 1024, generateMs: 0, cpuS: (cpu.user + cpu.system) / 1e6 };
}

if (require.main === module) {
  const [mode, dataDir, files] = process.argv.slice(2);
  if (mode !== 'load') throw new Error(`unknown mode ${mode}`);
  loadChild(dataDir!, JSON.parse(files!) as string[])
    .then((r) => process.stdout.write(JSON.stringify(r) + '\n'))
    .catch((e: unknown) => {
      process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
      process.exit(1);
    });
}
