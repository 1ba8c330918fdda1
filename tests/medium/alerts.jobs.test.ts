// The alerts job in the running schedule (JOBS=on): a load is followed by the
// refresh, the refresh's 'snapshot-ready' by an evaluation; both alert jobs
// are on /api/jobs and run once on demand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsService } from '../../backend/src/alerts/alerts.service';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { JobsService } from '../../backend/src/jobs/jobs.service';
import { startTestServer, type TestServer } from '../helpers/server';
import { writeFixtures } from './alerts.fixtures';
import { budget } from '../helpers/budget';

describe('alerts in the schedule', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { JOBS: 'on' } });
  }, budget(120_000));
  afterAll(async () => {
    await server?.close();
  });

  it('a load → refresh → snapshot-ready → evaluation at the current time, capped at the end of the data range', async () => {
    const alerts = server.app.get(AlertsService);
    expect(await alerts.lastEvalNow()).toBeNull();
    const loaded = await server.app.get(IngestService).loadFiles(writeFixtures().files, { source: 'inbox' });
    expect(loaded.failed).toBe(0);
    const deadline = Date.now() + budget(45_000);
    while ((await alerts.lastEvalNow()) === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    const last = await alerts.lastEvalNow();
    expect(last).not.toBeNull();
    // The 2022 campaign is over by the wall clock: "now" is its last day's end.
    expect(new Date(last! + 8 * 3_600_000).toISOString().slice(0, 19)).toBe('2022-12-31T23:59:59');
    const page = (await (await server.fetch('/api/alerts?limit=500')).json()) as { total: number; asOf: string };
    expect(page.asOf).toBe('2022-12-31 23:59:59');
    expect(page.total).toBeGreaterThan(0);
  }, budget(60_000));

  it('both jobs are scheduled, listed, and run once on demand', async () => {
    const jobs = (await (await server.fetch('/api/jobs')).json()) as Array<{ name: string; cron: string; enabled: boolean }>;
    expect(jobs.find((j) => j.name === 'alerts')).toMatchObject({ cron: '45 */10 * * * *', enabled: true });
    expect(jobs.find((j) => j.name === 'alerts-digest')).toMatchObject({ cron: '0 0 8 * * *', enabled: true });
    const svc = server.app.get(JobsService);
    const a = await svc.run('alerts');
    expect(a.lastStatus).toBe('ok');
    expect(a.lastResult).toMatchObject({ persisted: true, opened: 0, asOf: '2022-12-31' });
    const d = await svc.run('alerts-digest');
    expect(d.lastStatus).toBe('ok');
    // No channel is configured: nothing to send.
    expect(d.lastResult).toMatchObject({ regions: 0, queued: 0 });
  });
});
