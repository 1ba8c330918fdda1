// SIGKILL `npm run cli -- ingest` (the built CLI, a real process on a real
// embedded engine) while it parses, while it stages, while it commits (after
// the first kind is attached) and after the commit before the run is marked
// done — each reached through a fault hook point, not a sleep. Then restart
// (the built server, jobs on): nothing of the load is visible, no stage table
// is left, the run history says the load was interrupted, and the next
// scheduled inbox pull loads the same file to exactly the figures of a clean
// load into another data directory (in this process, through IngestService).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { dropInInbox, WORKBOOK_DAYS, writeWorkbook } from '../helpers/crash-fixtures';
import { atFault, budget, figures, getJson, leftoverStages, sigkill, spawnNode, startServer, until, type RejectInfo, type RunInfo } from '../helpers/procs';

type Figures = Record<string, Record<string, unknown>>;

/** Rejects as the clerk reads them; the run number differs between two data directories. */
const withoutRun = (rows: RejectInfo[]) => rows.map((r) => ({ ...r, runId: undefined }));

describe('SIGKILL during `cli ingest`: nothing partial is left, and the next pull loads the file exactly', () => {
  let clean: TestServer;
  let file: string;
  let empty: Figures;
  let loaded: Figures;
  let cleanRejects: RejectInfo[];
  const dirs: string[] = [];

  const cleanJson = async <T,>(p: string): Promise<T> => (await (await clean.fetch(p)).json()) as T;

  beforeAll(async () => {
    const fixtures = tempDataDir('crash-cli-fixture-');
    dirs.push(fixtures);
    file = await writeWorkbook(fixtures, '长春市-0720.xlsx');
    clean = await startTestServer();
    empty = await figures(cleanJson, WORKBOOK_DAYS);
    const s = await clean.app.get(IngestService).loadFiles([file], { source: 'cli' });
    expect(s.files[0]).toMatchObject({ status: 'succeeded', accepted: 10, rejected: 2 });
    loaded = await figures(cleanJson, WORKBOOK_DAYS);
    cleanRejects = withoutRun((await cleanJson<{ rows: RejectInfo[] }>(`/api/ingest/runs/${s.files[0]!.runId}/rejects`)).rows);
    expect(cleanRejects).toHaveLength(2);
    // The fixture moves the figures: a restart that lost or kept a part would show.
    expect(loaded).not.toEqual(empty);
  });

  afterAll(async () => {
    await clean?.close();
    for (const d of [...dirs, clean?.dataDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it.each([
    ['ingest.parse', 'while it parses (the first sheet read, the second not)'],
    ['ingest.stage', 'while it stages (a chunk in the hidden stage table)'],
    ['ingest.commit', 'while it commits (台账 attached to its raw table, 服务记录 not)'],
    ['ingest.finish', 'after the commit, before the run is marked succeeded'],
  ])('killed at %s — %s', async (point) => {
    const dir = tempDataDir('crash-cli-');
    const faults = tempDataDir('crash-cli-faults-');
    dirs.push(dir, faults);
    const p = spawnNode('cli', ['ingest', file], { DATA_DIR: dir, FAULT_POINTS: point, FAULT_DIR: faults, INGEST_CHUNK_ROWS: '2' });
    await atFault(p, faults, point);
    if (point === 'ingest.stage') expect(leftoverStages(dir).some((t) => t.startsWith('run_stage_'))).toBe(true);
    await sigkill(p);

    const server = await startServer(dir, { JOBS: 'on', INBOX_CRON: '*/1 * * * * *' });
    try {
      const json = <T,>(q: string) => getJson<T>(server.admin, q);
      // Cleaned up at start, before anything is served.
      expect(leftoverStages(dir)).toEqual([]);
      const [dead] = await json<RunInfo[]>('/api/ingest/runs');
      expect(dead).toMatchObject({ label: path.basename(file), status: 'failed', source: 'cli' });
      expect(dead!.error).toMatch(/中断.*未生效/);
      expect((await json<{ total: number }>(`/api/ingest/runs/${dead!.runId}/rejects`)).total).toBe(0);
      expect(await figures(json, WORKBOOK_DAYS)).toEqual(empty);

      // The same file, through the scheduled inbox pull.
      dropInInbox(path.join(dir, 'inbox'), file);
      const done = await until('the inbox pull to load the file', async () => {
        const runs = await json<RunInfo[]>('/api/ingest/runs');
        return runs.find((r) => r.source === 'inbox' && r.status !== 'running') ?? null;
      }, server);
      expect(done).toMatchObject({ status: 'succeeded', accepted: 10, rejected: 2 });
      expect(await figures(json, WORKBOOK_DAYS)).toEqual(loaded);
      expect(withoutRun((await json<{ rows: RejectInfo[] }>(`/api/ingest/runs/${done.runId}/rejects`)).rows)).toEqual(cleanRejects);
      expect(fs.readdirSync(path.join(dir, 'inbox', 'processed'))).toEqual([`${done.runId}-${path.basename(file)}`]);
      expect(leftoverStages(dir)).toEqual([]);
    } finally {
      await server.stop();
    }
  }, budget(3));
});
