// A server running the schedule builds the province's screen as soon as a refresh says new snapshots are
// out (ScreenService, on 'snapshot-ready'): the wall screens ask for it at once, and the alert evaluation
// that follows a refresh would make them wait for a build (at national size a minute of heavy queries).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { JobsService } from '../../backend/src/jobs/jobs.service';
import { ScreenService } from '../../backend/src/screen/screen.service';
import { startTestServer, type TestServer } from '../helpers/server';
import { ledgerCsv, pid } from '../helpers/ledger-fixtures';

describe('the screen after a refresh', () => {
  let server: TestServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'screen-warm-'));
  beforeAll(async () => {
    server = await startTestServer({ env: { JOBS: 'on' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is built, with the new data, as soon as a refresh pushes new snapshots, before anyone asks', async () => {
    const screen = server.app.get(ScreenService);
    const row = (n: number) => ({ id: pid(n), received: '2022-07-01', county: '220102', updated: `2022-07-0${n} 08:00` });
    await server.app.get(IngestService).loadFiles([ledgerCsv(dir, 'a.csv', [row(1), row(2)])]);
    await server.app.get(JobsService).run('refresh');
    let built = await screen.builtScreenBody('220000');
    for (let i = 0; i < 50 && !built; i++) {
      await new Promise((r) => setTimeout(r, 100));
      built = await screen.builtScreenBody('220000');
    }
    expect(built).not.toBeNull();
    const body = JSON.parse(`${built!.body.json.toString('utf8')}${built!.tail().toString('utf8')}`) as { source?: string; kpis?: unknown };
    expect(JSON.stringify(body)).toContain('"received":2');
  });
});
