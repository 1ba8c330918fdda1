// A load's refresh must not wait for the alert evaluation that follows the refresh before it (about a
// minute at national size): the schedule (JOBS=on) starts a new refresh once the earlier refresh itself
// is done, and that refresh's own evaluation runs after the earlier one. The evaluation is held here at
// a gate (the real evaluation runs once the gate opens), standing in for a long one.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AlertsService } from '../../backend/src/alerts/alerts.service';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { JobsService, type JobStatus } from '../../backend/src/jobs/jobs.service';
import { startTestServer, type TestServer } from '../helpers/server';
import { ledgerCsv, pid } from '../helpers/ledger-fixtures';
import { budget } from '../helpers/budget';

describe('a refresh after a load, while the previous refresh’s evaluation still runs', () => {
  let server: TestServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobs-follow-'));
  beforeAll(async () => {
    server = await startTestServer({ env: { JOBS: 'on' } });
  }, budget(120_000));
  afterAll(async () => {
    vi.restoreAllMocks();
    await server?.close();
  });

  it('runs at once and shows the load; its own evaluation follows the held one', async () => {
    const jobs = server.app.get(JobsService);
    const alerts = server.app.get(AlertsService);
    const ingest = server.app.get(IngestService);
    const status = (name: string): JobStatus => jobs.list().find((j) => j.name === name)!;
    const waitFor = async (what: () => boolean, ms = budget(45_000)): Promise<void> => {
      const end = Date.now() + ms;
      while (!what()) {
        if (Date.now() > end) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const real = alerts.runScheduled.bind(alerts);
    let evaluations = 0;
    vi.spyOn(alerts, 'runScheduled').mockImplementation(async () => {
      evaluations++;
      await gate;
      return real();
    });

    const row = (n: number) => ({ id: pid(n), received: '2022-07-01', county: '220102', updated: `2022-07-0${n} 08:00` });
    await ingest.loadFiles([ledgerCsv(dir, 'a.csv', [row(1)])]);
    const first = jobs.run('refresh');
    // The refresh itself done (the load's own trigger may have run one too), its evaluation held.
    await waitFor(() => status('alerts').running && !status('refresh').running);
    const firstEnd = status('refresh').lastEnd;
    const held = evaluations;

    // The inbox's load: its refresh (the schedule's data-loaded trigger) runs while the evaluation is held.
    await ingest.loadFiles([ledgerCsv(dir, 'b.csv', [row(2)])], { source: 'inbox' });
    await waitFor(() => status('refresh').lastEnd !== firstEnd && !status('refresh').running);
    const m = (await (await server.fetch('/api/metrics/220102?asOf=2022-07-31')).json()) as { received: number; source: string };
    expect(m).toMatchObject({ received: 2, source: 'snapshot' });
    expect(evaluations).toBe(held);

    open();
    expect((await first).lastStatus).toBe('ok');
    // The second refresh's evaluation ran after the first one, not joined to it.
    await waitFor(() => evaluations > held && !status('alerts').running);
    expect(status('alerts').lastStatus).toBe('ok');
  }, budget(120_000));
});
