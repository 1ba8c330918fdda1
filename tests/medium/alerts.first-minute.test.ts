// Alerts from the first minute: the demo load of a fresh install, and every
// refresh that wrote new snapshots, is followed at once by an evaluation —
// recorded in /api/jobs — instead of waiting for the next :x0:45 tick. The
// schedule itself is off here (JOBS=off), so nothing but the trigger can
// have produced the run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoLoader } from '../../backend/src/demo/demo.loader';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { JobsService, type JobStatus } from '../../backend/src/jobs/jobs.service';
import { startTestServer, type TestServer } from '../helpers/server';
import { writeFixtures } from './alerts.fixtures';

describe('alerts right after the demo load and after each refresh that changed data', () => {
  let server: TestServer;
  const job = async (name: string): Promise<JobStatus> => {
    const list = (await (await server.fetch('/api/jobs')).json()) as JobStatus[];
    return list.find((j) => j.name === name)!;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO: 'on', JOBS: 'off' } });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('a fresh app has the demo’s open alerts as soon as the demo is loaded, and /api/jobs lists that evaluation', async () => {
    expect((await job('alerts')).lastStart).toBeNull();
    expect(await server.app.get(DemoLoader).loadIfEmpty(1500)).toBe(true);

    const refresh = await job('refresh');
    const alerts = await job('alerts');
    expect(refresh).toMatchObject({ lastStatus: 'ok', lastResult: { skipped: false } });
    expect(alerts).toMatchObject({ lastStatus: 'ok', lastResult: { persisted: true } });
    expect(alerts.lastStart! >= refresh.lastEnd!).toBe(true);

    // The alert centre, as the admin sees it: the open alerts the evaluation opened.
    const opened = (alerts.lastResult as { opened: number }).opened;
    expect(opened).toBeGreaterThan(0);
    const page = (await (await server.fetch('/api/alerts?state=open&limit=1')).json()) as { total: number; asOf: string | null };
    expect(page.asOf).not.toBeNull();
    expect(page.total).toBe(opened);
  }, 120_000);

  it('a refresh with nothing new does not evaluate again; one after a new load does', async () => {
    const jobs = server.app.get(JobsService);
    const before = await job('alerts');
    const idle = await jobs.run('refresh');
    expect(idle.lastResult).toMatchObject({ skipped: true });
    expect((await job('alerts')).lastStart).toBe(before.lastStart);

    const loaded = await server.app.get(IngestService).loadFiles(writeFixtures().files, { source: 'inbox' });
    expect(loaded.failed).toBe(0);
    const changed = await jobs.run('refresh');
    expect(changed.lastResult).toMatchObject({ skipped: false });
    const after = await job('alerts');
    expect(after.lastStatus).toBe('ok');
    expect(after.lastStart! > before.lastStart!).toBe(true);
    expect(after.lastStart! >= changed.lastEnd!).toBe(true);
  }, 120_000);
});
