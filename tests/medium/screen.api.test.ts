// /api/screen serialises a built screen once per caller view and splices in
// the server time: every request must still get exactly what screen() builds
// for its caller, with a fresh time, and one caller's view never leaks into
// another's.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { ScreenService } from '../../backend/src/screen/screen.service';
import { startTestServer, type TestServer } from '../helpers/server';
import { eventCsv, ledgerCsv, pid } from '../helpers/ledger-fixtures';

interface Body {
  serverTime: string;
  breadcrumb: Array<{ code: string }>;
  recruitment: { units: Array<{ code: string }> };
  [k: string]: unknown;
}

describe('wall-screen API body', () => {
  let server: TestServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'screen-api-'));
  const AS_OF = '2022-07-31';

  beforeAll(async () => {
    server = await startTestServer();
    const s = await server.app.get(IngestService).loadFiles([
      ledgerCsv(dir, 'l.csv', [
        { id: pid(1), received: '2022-07-01', county: '220102', updated: '2022-07-02 08:00' },
        { id: pid(2), received: '2022-07-01', county: '220202', updated: '2022-07-02 08:00' },
      ]),
      eventCsv(dir, 'e.csv', [
        { eid: 'E1', region: '220100', type: '专业性', date: '2022-07-20' },
        { eid: 'E2', region: '220200', type: '综合性', date: '2022-07-21' },
      ]),
    ]);
    expect(s.failed).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
  });

  const strip = ({ serverTime: _t, ...rest }: Body) => rest;

  it('is what screen() builds, with a fresh server time on every request', async () => {
    const get = async () => (await (await server.fetch(`/api/screen/220000?asOf=${AS_OF}`)).json()) as Body;
    const a = await get();
    await new Promise((r) => setTimeout(r, 5));
    const b = await get();
    expect(strip(a)).toEqual(strip(b));
    expect(Date.parse(a.serverTime)).not.toBeNaN();
    expect(Date.parse(b.serverTime)).toBeGreaterThan(Date.parse(a.serverTime));
    const direct = (await server.app.get(ScreenService).screen('220000', AS_OF)) as unknown as Body;
    expect(strip(a)).toEqual(strip(JSON.parse(JSON.stringify(direct)) as Body));
  });

  it('cuts the breadcrumb and other units to the caller, even right after a wider caller was served', async () => {
    const admin = (await (await server.fetch(`/api/screen/220100?asOf=${AS_OF}`)).json()) as Body;
    expect(admin.breadcrumb.map((b) => b.code)).toEqual(['220000', '220100']);
    expect(admin.recruitment.units.map((u) => u.code)).toEqual(expect.arrayContaining(['220100', '220200']));
    const unit = await server.as('unit', '220100');
    const mine = (await (await unit.fetch(`/api/screen/220100?asOf=${AS_OF}`)).json()) as Body;
    expect(mine.breadcrumb.map((b) => b.code)).toEqual(['220100']);
    expect(mine.recruitment.units.map((u) => u.code)).toEqual(['220100']);
    // Everything else is the same screen.
    const rest = (x: Body) => ({ ...strip(x), breadcrumb: null, recruitment: { ...x.recruitment, units: null } });
    expect(rest(mine)).toEqual(rest(admin));
    expect((await unit.fetch(`/api/screen/220200?asOf=${AS_OF}`)).status).toBe(403);
  });
});
