// `npm run bench -- care`: the metrics of kinds 9–12 (help plans and return
// visits, rights cases, 亮相 publications, 典型 stories, 10+N events) at
// national size: the care state rebuilt after the person state, one day of
// every region from the kept state, and the back-fill of every campaign day
// into care snapshots — each through the path the product uses.
//
// The data are the national generator's (tests/bench/national.ts, BENCH_PERSONS
// etc.; 3,500,000 persons give ~150,000 plans, ~117,000 cases, ~3,400
// publications): its care files in full, and of the ledger and the services
// only the hardship persons' rows (every version) and their 跟踪回访 records —
// the only persons the care metrics read. Loading the whole 13 M-row ledger
// on a shared 2-core machine took longer than the measurement itself; the
// person state of the others is the metrics bench's subject.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { generateDemo } from '../../backend/src/demo/demo.generator';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { detached } from '../../backend/src/common/strings';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { CareMetricsService } from '../../backend/src/care/care.metrics.service';
import { CareStateRepository } from '../../backend/src/care/care.state.repository';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { MetricsStateService } from '../../backend/src/metrics/metrics.state.service';
import { child, fmt, openContext } from './common';
import { baseDir, nationalSpec, specLabel, type NationalSpec } from './national';
import { report, type Figure } from './report';

const DAY = '2022-12-31';

interface Generated {
  files: Array<{ path: string; kind: string }>;
  careFiles: Array<{ path: string; kind: string }>;
}

/** The national CSVs (generated once, shared with national.ts), then the hardship subset of the ledger and services. */
async function prepare(spec: NationalSpec): Promise<{ files: string[]; dataDir: string; loaded: boolean }> {
  const dir = baseDir(spec);
  const csvDir = path.join(dir, 'csv');
  const specFile = path.join(csvDir, 'spec.json');
  let gen: Generated | null = null;
  if (fs.existsSync(specFile)) {
    const g = JSON.parse(fs.readFileSync(specFile, 'utf8')) as Generated & NationalSpec;
    if (g.persons === spec.persons && g.services === spec.services && g.careFiles) gen = g;
  }
  if (!gen) {
    log(`generating ${specLabel(spec)} into ${csvDir}…`);
    fs.mkdirSync(csvDir, { recursive: true });
    const res = await generateDemo({ outDir: csvDir, ...spec });
    gen = { files: res.files, careFiles: res.careFiles };
    fs.writeFileSync(specFile, JSON.stringify({ ...spec, ...gen }));
  }
  const subDir = path.join(dir, 'care');
  fs.mkdirSync(subDir, { recursive: true });
  const ledgerOut = path.join(subDir, 'ledger-hardship.csv');
  const visitsOut = path.join(subDir, 'services-visits.csv');
  const byKind = (k: string) => gen.files.find((f) => f.kind === k)!.path;
  if (!fs.existsSync(ledgerOut) || !fs.existsSync(visitsOut)) {
    log('taking the hardship persons’ ledger versions and 跟踪回访 records…');
    const ids = new Set<string>();
    // Read in 4 MB blocks (readline's async iterator buffered the whole 13 M-line file under load).
    function* lines(file: string): Generator<string> {
      const fd = fs.openSync(file, 'r');
      const buf = Buffer.allocUnsafe(4 << 20);
      const dec = new StringDecoder('utf8');
      let rest = '';
      try {
        for (let n = fs.readSync(fd, buf, 0, buf.length, null); n > 0; n = fs.readSync(fd, buf, 0, buf.length, null)) {
          const parts = (rest + dec.write(buf.subarray(0, n))).split('\n');
          rest = parts.pop()!;
          for (const p of parts) yield p.endsWith('\r') ? p.slice(0, -1) : p;
        }
        if (rest) yield rest;
      } finally {
        fs.closeSync(fd);
      }
    }
    // 困难类别 is the 15th column; no quoted cell comes before 县区代码 (the 12th), and none of 12–15 holds a comma.
    for (const line of lines(byKind('ledger'))) {
      const c = line.split(',', 16);
      // detached: a slice would keep its whole 4 MB block alive.
      if (c[14]) ids.add(detached(c[0]!));
    }
    // The subset is small (a few hundred thousand lines): gathered, then written at once (no write-stream backlog).
    const write = (file: string, out: string, keep: (line: string) => boolean) => {
      const kept: string[] = [];
      let first = true;
      for (const line of lines(file)) {
        if (first || keep(line)) kept.push(detached(line));
        first = false;
      }
      fs.writeFileSync(out, kept.join('\n') + '\n');
    };
    write(byKind('ledger'), ledgerOut, (l) => ids.has(l.slice(0, l.indexOf(','))));
    write(byKind('service'), visitsOut, (l) => l.includes(',跟踪回访,') && ids.has(l.split(',', 3)[1]!));
    log(`  ${fmt(ids.size)} hardship persons`);
  }
  const dataDir = path.join(subDir, 'data');
  const files = [ledgerOut, visitsOut, byKind('event'), ...gen.careFiles.map((f) => f.path)];
  return { files, dataDir, loaded: fs.existsSync(path.join(dataDir, 'loaded.json')) };
}

async function loadChild(dataDir: string, files: string[]): Promise<{ ms: number; rows: number }> {
  const app = await openContext(dataDir);
  const t0 = performance.now();
  const s = await app.get(IngestService).loadFiles(files, { source: 'bench' });
  await app.close();
  if (s.failed) throw new Error(`care load failed: ${JSON.stringify(s.files.filter((f) => f.error).map((f) => f.error))}`);
  const r = { ms: performance.now() - t0, rows: s.accepted + s.rejected };
  fs.writeFileSync(path.join(dataDir, 'loaded.json'), JSON.stringify(r));
  return r;
}

interface CareFigures {
  sizes: { persons: number; plans: number; visits: number; cases: number; publications: number; stories: number; events: number; careDays: number; overdue: number };
  personSyncMs: number;
  careRebuildMs: number;
  oneDayMs: number;
  backfillMs: number;
  backfillDays: number;
  load1: string;
}

function log(msg: string): void {
  process.stderr.write(`[care] ${msg}\n`);
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

async function measure(dataDir: string): Promise<CareFigures> {
  const app = await openContext(dataDir);
  try {
    const ch = app.get<ClickHouseHandle>(CLICKHOUSE);
    const count = async (q: string) => Number((await (await ch.client.query({ query: q, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);
    const care = app.get(CareMetricsService);
    const repo = app.get(CareStateRepository);
    const metrics = app.get(MetricsService);

    log('person state up to the loaded runs…');
    const [personSyncMs] = await timed(() => app.get(MetricsStateService).sync());
    log('care state from scratch (milestones, overdue intervals, day deltas)…');
    await repo.forget();
    const [careRebuildMs] = await timed(() => care.ensure());
    log(`  ${fmt(careRebuildMs / 1000, 1)} s`);

    log('one day, all regions, from the kept care state…');
    await repo.asOf(DAY);
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) xs.push((await timed(() => repo.asOf(DAY)))[0]);
    xs.sort((a, b) => a - b);

    log('back-fill: every campaign day into care snapshots…');
    const version = await metrics.dataVersion();
    const [backfillMs] = await timed(() => care.writeSnapshots('2022-07-01', '2022-12-31', version));
    log(`  ${fmt(backfillMs / 1000, 1)} s`);

    const sizes = {
      persons: await count('SELECT uniqExact(person_key) AS n FROM ledger_raw'),
      plans: await count('SELECT uniqExact(plan_id) AS n FROM plan_raw'),
      visits: await count(`SELECT uniqExact(record_id) AS n FROM service_raw WHERE service_type = '跟踪回访'`),
      cases: await count('SELECT uniqExact(case_id) AS n FROM rights_raw'),
      publications: await count('SELECT uniqExact(publication_id) AS n FROM publicity_raw'),
      stories: await count('SELECT uniqExact(story_id) AS n FROM story_raw'),
      events: await count('SELECT uniqExact(event_id) AS n FROM event_raw'),
      careDays: await count('SELECT count() AS n FROM care_days'),
      overdue: await count('SELECT count() AS n FROM care_overdue'),
    };
    return { sizes, personSyncMs, careRebuildMs, oneDayMs: xs[2]!, backfillMs, backfillDays: 184, load1: os.loadavg()[0]!.toFixed(2) };
  } finally {
    await app.close();
  }
}

const s = (ms: number, d = 2) => fmt(ms / 1000, d);

export async function benchCare(): Promise<CareFigures> {
  const spec = { ...nationalSpec(), persons: Number(process.env.BENCH_PERSONS || 3_500_000) };
  const prep = await prepare(spec);
  let loadNote = 'reused';
  if (!prep.loaded) {
    fs.rmSync(prep.dataDir, { recursive: true, force: true });
    fs.mkdirSync(prep.dataDir, { recursive: true });
    log('loading through the checked ingest path…');
    const l = await child<{ ms: number; rows: number }>(__filename, ['load', prep.dataDir, JSON.stringify(prep.files)]);
    loadNote = `${fmt(l.rows)} rows in ${s(l.ms, 0)} s`;
  }
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  const f = await child<CareFigures>(__filename, ['measure', prep.dataDir]);
  const z = f.sizes;
  const figures: Figure[] = [
    { name: 'data', value: `the care files of ${specLabel(spec)} in full — ${fmt(z.plans)} help plans, ${fmt(z.cases)} rights cases, ${fmt(z.publications)} publications, ${fmt(z.stories)} stories, ${fmt(z.events)} events — and the ${fmt(z.persons)} hardship persons’ ledger versions with their ${fmt(z.visits)} 跟踪回访 records (load: ${loadNote})` },
    { name: 'person state brought up to the loaded runs first (person_spans; here built from scratch — the metrics bench measures it)', value: s(f.personSyncMs, 1), unit: 's' },
    { name: `care state rebuilt from scratch (care_marks, ${fmt(z.overdue)} overdue intervals, ${fmt(z.careDays)} day-delta rows)`, value: s(f.careRebuildMs, 1), unit: 's' },
    { name: `one day (${DAY}), every region, from the kept care state (care_as_of.sql), median of 5`, value: s(f.oneDayMs, 3), unit: 's', goal: '≤ 1 s', met: f.oneDayMs <= 1000 },
    { name: `back-fill: ${f.backfillDays} days × 84 regions from the kept care state into care_snapshots`, value: s(f.backfillMs, 1), unit: 's', goal: '≤ 60 s', met: f.backfillMs <= 60_000 },
    { name: 'machine load (1-min average)', value: `load ${loadBefore} before, ${f.load1} after` },
  ];
  report('care', 'npm run bench -- care', figures, [
    'The care state is rebuilt whole whenever load runs were added (plans, visits of planned persons and the record kinds are small beside the ledger and the services); the person state it joins (person_spans) is kept incrementally by the metric state sync.',
    'An incremental refresh therefore costs the person state sync plus the care state rebuild above plus the back-fill.',
    'Only the hardship persons are loaded: the care metrics join the person state on them alone (`person_spans WHERE hs`); at full national size the same join also scans the other persons’ spans once (the metrics bench’s data).',
  ]);
  return f;
}

if (require.main === module) {
  const [mode, dataDir, files] = process.argv.slice(2);
  if (mode !== 'measure' && mode !== 'load') throw new Error(`unknown mode ${mode}`);
  (mode === 'load' ? loadChild(dataDir!, JSON.parse(files!) as string[]) : measure(dataDir!))
    .then((r) => process.stdout.write(JSON.stringify(r) + '\n'))
    .catch((e: unknown) => {
      process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
      process.exit(1);
    });
}
