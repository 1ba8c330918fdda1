// SIGKILL the built server (jobs on, the inbox pulled every second) during a
// scheduled inbox pull — while it stages, and after the load but before the
// file is moved — and during a refresh (the metric state cleared for its
// rebuild). One data directory through four restarts; after each: nothing
// partial visible, no stage table, the run history says what happened, and
// the next scheduled pull or refresh finishes the work, to exactly the figures
// of clean loads into another data directory (in this process).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { dropInInbox, WORKBOOK_DAYS, writeWorkbook } from '../helpers/crash-fixtures';
import { atFault, budget, figures, getJson, leftoverStages, sigkill, startServer, until, type RunInfo, type ServerProc } from '../helpers/procs';

type Figures = Record<string, Record<string, unknown>>;

interface JobInfo {
  name: string;
  lastStatus: 'ok' | 'failed' | null;
  lastEnd: string | null;
  lastResult: { skipped?: boolean } | null;
}

describe('SIGKILL the server during scheduled pulls and a refresh: nothing partial, the next run finishes the work', () => {
  let clean: TestServer;
  let f: string;
  let g: string;
  let empty: Figures;
  let withF: Figures;
  let withFG: Figures;
  const dir = tempDataDir('crash-server-');
  const faults = tempDataDir('crash-server-faults-');
  const inbox = path.join(dir, 'inbox');
  let server: ServerProc | null = null;

  const cleanJson = async <T,>(p: string): Promise<T> => (await (await clean.fetch(p)).json()) as T;
  const json = <T,>(p: string) => getJson<T>(server!.admin, p);
  // The inbox every second; the refresh only when a load adds rows (unless a test asks for its tick).
  const start = async (env: Record<string, string>) => {
    server = await startServer(dir, { JOBS: 'on', INBOX_CRON: '*/1 * * * * *', REFRESH_CRON: '0 0 0 1 1 *', FAULT_DIR: faults, ...env });
    return server;
  };

  beforeAll(async () => {
    const fixtures = tempDataDir('crash-server-fixture-');
    f = await writeWorkbook(fixtures, '长春市-0720.xlsx', 0);
    g = await writeWorkbook(fixtures, '吉林市-0721.xlsx', 1);
    clean = await startTestServer();
    const ingest = clean.app.get(IngestService);
    empty = await figures(cleanJson, WORKBOOK_DAYS);
    await ingest.loadFiles([f], { source: 'inbox' });
    withF = await figures(cleanJson, WORKBOOK_DAYS);
    await ingest.loadFiles([g], { source: 'inbox' });
    await clean.app.get(MetricsService).refresh();
    withFG = await figures(cleanJson, WORKBOOK_DAYS);
    expect(new Set([JSON.stringify(empty), JSON.stringify(withF), JSON.stringify(withFG)]).size).toBe(3);
  });

  afterAll(async () => {
    if (server?.isAlive()) await sigkill(server).catch(() => undefined);
    await clean?.close();
    for (const d of [dir, faults, clean?.dataDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('killed while a scheduled inbox pull stages a file: restarted, nothing of it is visible and the file is still in the inbox', async () => {
    const s = await start({ FAULT_POINTS: 'ingest.stage', INGEST_CHUNK_ROWS: '2' });
    dropInInbox(inbox, f);
    await atFault(s, faults, 'ingest.stage');
    expect(leftoverStages(dir).some((t) => t.startsWith('run_stage_'))).toBe(true);
    await sigkill(s);
    expect(fs.existsSync(path.join(inbox, path.basename(f)))).toBe(true);

    // The next start stops after the file is loaded again, before it is moved to processed/.
    const s2 = await start({ FAULT_POINTS: 'inbox.move' });
    // (The next pull may already have begun a new run: the interrupted one is found by its status.)
    const dead = (await json<RunInfo[]>('/api/ingest/runs')).find((r) => r.status !== 'running' && r.status !== 'succeeded');
    expect(dead).toMatchObject({ source: 'inbox', label: path.basename(f), status: 'failed' });
    expect(dead!.error).toMatch(/中断/);
    expect(leftoverStages(dir, [dead!.runId])).toEqual([]);
    await atFault(s2, faults, 'inbox.move');
    // Loaded (and served) in full while the pull stands before the move.
    expect(await figures(json, WORKBOOK_DAYS)).toEqual(withF);
    await sigkill(s2);
  }, budget(3));

  it('killed after a load, before the file was moved: the next pull finds it loaded and only moves it', async () => {
    // Both files wait in the inbox; the refresh their load triggers is killed with the metric state half rebuilt.
    dropInInbox(inbox, g);
    const s = await start({ FAULT_POINTS: 'refresh.state' });
    await atFault(s, faults, 'refresh.state');
    // The pull goes on beside the stopped refresh (they take different locks): let it finish both files.
    await until('the inbox to be empty', () => fs.readdirSync(inbox).every((n) => n === 'processed') || null, s);
    const runs = await until('both runs to be recorded', async () => {
      const all = await json<RunInfo[]>('/api/ingest/runs');
      return all.length === 4 && all.every((r) => r.status !== 'running') ? all : null;
    }, s);
    const mine = (file: string) => runs.filter((r) => r.label === path.basename(file)).map((r) => [r.status, r.accepted]);
    // F: interrupted, loaded, then found loaded (its rows counted, nothing added); G: loaded.
    expect(mine(f)).toEqual([['succeeded', 10], ['succeeded', 10], ['failed', 0]]);
    expect(mine(g)).toEqual([['succeeded', 10]]);
    expect(fs.readdirSync(inbox).filter((n) => n !== 'processed')).toEqual([]);
    expect(fs.readdirSync(path.join(inbox, 'processed')).sort()).toHaveLength(2);
    expect(await figures(json, WORKBOOK_DAYS)).toEqual(withFG);
    await sigkill(s);
  }, budget(2));

  it('killed during a refresh: the next refresh rebuilds the state and the snapshots match a clean refresh', async () => {
    await start({ REFRESH_CRON: '*/1 * * * * *' });
    const refreshed = await until('a refresh that wrote snapshots', async () => {
      const job = (await json<JobInfo[]>('/api/jobs')).find((j) => j.name === 'refresh')!;
      return job.lastStatus === 'ok' && job.lastResult && job.lastResult.skipped === false ? job : null;
    }, server!);
    expect(refreshed.lastStatus).toBe('ok');
    const province = await json<{ source: string }>(`/api/metrics/220000?asOf=${WORKBOOK_DAYS[1]}`);
    expect(province.source).toBe('snapshot');
    expect(await figures(json, WORKBOOK_DAYS)).toEqual(withFG);
    expect(leftoverStages(dir)).toEqual([]);
    await server!.stop();
  }, budget(2));
});
