// Hand-made ledger fixtures (ledger-format.md) and the product's CLI contract
// (metrics.md "The CLI contract"), for the metrics checker tests
// (tests/medium/metrics.*.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { makeIdNumber } from '../../backend/src/ledger/id-number';
import { budget } from './budget';

export const CLI = path.join(__dirname, '..', '..', 'dist', 'server', 'backend', 'src', 'cli.js');

/** A valid 身份证号 for test person n (n < 1000 keeps them distinct). */
export function pid(n: number): string {
  return makeIdNumber('220102', '20000101', n);
}

function cell(v: string | number | undefined | null): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes a UTF-8 CSV (RFC 4180) with a header row; returns its path. */
export function writeCsv(dir: string, name: string, header: string[], rows: Array<Array<string | number | undefined | null>>): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n', 'utf8');
  return file;
}

export interface LedgerRow {
  id: string;
  name?: string;
  received: string;
  county?: string;
  category?: string;
  hardship?: string;
  status?: string;
  updated: string;
}

export function ledgerCsv(dir: string, name: string, rows: LedgerRow[]): string {
  return writeCsv(
    dir,
    name,
    ['身份证号', '姓名', '毕业年份', '人员类别', '信息来源', '接收日期', '县区代码', '帮扶类别', '困难类别', '就业状态', '更新时间'],
    rows.map((r) => [r.id, r.name ?? '测试', 2022, '应届毕业生', '教育部门', r.received, r.county, r.category, r.hardship, r.status, r.updated]),
  );
}

export interface ServiceRow {
  rid: string;
  id: string;
  time: string;
  type: string;
  result?: string;
  county: string;
}

export function serviceCsv(dir: string, name: string, rows: ServiceRow[]): string {
  return writeCsv(
    dir,
    name,
    ['记录编号', '身份证号', '服务时间', '服务类型', '联系结果', '县区代码'],
    rows.map((r) => [r.rid, r.id, r.time, r.type, r.result, r.county]),
  );
}

export interface HelpRow {
  hid: string;
  id: string;
  at: string;
  county: string;
  contact?: string;
}

export function helpCsv(dir: string, name: string, rows: HelpRow[]): string {
  return writeCsv(
    dir,
    name,
    ['求助编号', '身份证号', '求助时间', '县区代码', '首次联系时间'],
    rows.map((r) => [r.hid, r.id, r.at, r.county, r.contact]),
  );
}

export interface EventRow {
  eid: string;
  region: string;
  type: '专业性' | '综合性';
  date: string;
}

export function eventCsv(dir: string, name: string, rows: EventRow[]): string {
  return writeCsv(
    dir,
    name,
    ['活动编号', '地区代码', '活动名称', '活动类型', '举办日期'],
    rows.map((r) => [r.eid, r.region, `招聘会${r.eid}`, r.type, r.date]),
  );
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON (the contract), or null. */
  json: Record<string, unknown> | null;
}

export function runCli(dataDir: string, args: string[], timeoutMs = budget(120_000)): Promise<CliResult> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:server first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir, DEMO: 'off', JOBS: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(t);
      const last = stdout.trim().split('\n').pop() ?? '';
      let json: Record<string, unknown> | null;
      try {
        json = JSON.parse(last) as Record<string, unknown>;
      } catch {
        json = null;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

export interface IngestSummary {
  accepted: number;
  rejected: number;
  duplicates: number;
  [k: string]: unknown;
}

export async function ingest(dataDir: string, files: string[]): Promise<IngestSummary> {
  const r = await runCli(dataDir, ['ingest', ...files]);
  if (!r.json) throw new Error(`ingest printed no JSON (exit ${r.code}): ${r.stderr}`);
  return r.json as unknown as IngestSummary;
}

export const METRIC_KEYS = [
  'received', 'pendingDistribution', 'contacted', 'contactRate', 'intentEmployment', 'completed1311', 'rate1311', 'employed',
  'employmentRate', 'hardship', 'hardshipOneOnOne', 'hardshipEmployed', 'helpRequests', 'helpContactedInSla', 'helpOverdue',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export type MetricValues = Record<MetricKey, number | null>;

/** `cli metrics --region CODE --as-of DAY --json`, last line. */
export async function cliMetrics(dataDir: string, region: string, asOf: string): Promise<Record<string, unknown>> {
  const r = await runCli(dataDir, ['metrics', '--region', region, '--as-of', asOf, '--json']);
  if (r.code !== 0 || !r.json) throw new Error(`metrics ${region} ${asOf} failed (exit ${r.code}): ${r.stderr}`);
  return r.json;
}

/** Only the spec's metric keys of a metrics object. */
export function pickMetrics(o: Record<string, unknown>): MetricValues {
  const out = {} as MetricValues;
  for (const k of METRIC_KEYS) out[k] = o[k] as number | null;
  return out;
}

export const ZERO: MetricValues = {
  received: 0, pendingDistribution: 0, contacted: 0, contactRate: null, intentEmployment: 0, completed1311: 0, rate1311: null,
  employed: 0, employmentRate: null, hardship: 0, hardshipOneOnOne: 0, hardshipEmployed: 0, helpRequests: 0, helpContactedInSla: 0,
  helpOverdue: 0,
};

/** GET through a (signed-in) fetch, e.g. `server.fetch` of tests/helpers/server.ts. */
export async function getJson(
  fetcher: (pathOrUrl: string) => Promise<Response>,
  p: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetcher(p);
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: res.status, body };
}
