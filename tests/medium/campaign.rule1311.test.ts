// A configured 1311 rule (CAMPAIGN_CONFIG `rule1311`) reaches the pages: GET
// /api/campaign carries it (the case list's 缺少服务 options and the county
// page's 1311 panel read it from there), and the case list's missing
// components follow it. Own file: the campaign configuration is read from the
// environment once per process.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { ledgerCsv, pid, serviceCsv } from '../helpers/ledger-fixtures';

describe('a campaign with its own 1311 rule', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule1311-'));
  // Another year's rule: two guidances, two recommendations, a business-start training; no internship.
  const rule = [
    { type: '职业指导', min: 2 },
    { type: '岗位推介', min: 2 },
    { type: '创业培训', min: 1 },
  ];
  const configFile = path.join(dir, 'campaign.json');
  fs.writeFileSync(configFile, JSON.stringify({ rule1311: rule }));
  const before = process.env.CAMPAIGN_CONFIG;
  let server: TestServer;
  let county: Session;
  // B: one guidance, two recommendations → misses 职业指导 (1 of 2) and 创业培训. E: all three → complete.
  const [B, E] = [pid(2), pid(5)];

  beforeAll(async () => {
    process.env.CAMPAIGN_CONFIG = configFile;
    server = await startTestServer();
    const svc = (rid: string, id: string, day: string, type: string, result?: string) => ({ rid, id, time: `2022-07-${day} 10:00`, type, result, county: '220102' });
    const s = await server.app.get(IngestService).loadFiles([
      ledgerCsv(dir, 'ledger.csv', [
        { id: B, name: '李四光', received: '2022-07-05', county: '220102', category: '有就业意愿', updated: '2022-07-06 09:00' },
        { id: E, name: '钱七星', received: '2022-07-05', county: '220102', category: '有就业意愿', updated: '2022-07-06 09:00' },
      ]),
      serviceCsv(dir, 'services.csv', [
        svc('S1', B, '10', '联系', '已联系'), svc('S2', B, '11', '职业指导'), svc('S3', B, '12', '岗位推介'), svc('S4', B, '13', '岗位推介'),
        svc('S5', E, '10', '联系', '已联系'), svc('S6', E, '11', '职业指导'), svc('S7', E, '12', '职业指导'),
        svc('S8', E, '13', '岗位推介'), svc('S9', E, '14', '岗位推介'), svc('S10', E, '15', '创业培训'),
      ]),
    ]);
    expect(s.rejected).toBe(0);
    county = await server.as('county', '220102');
  });
  afterAll(async () => {
    await server?.close();
    if (before === undefined) delete process.env.CAMPAIGN_CONFIG;
    else process.env.CAMPAIGN_CONFIG = before;
  });

  it('GET /api/campaign names the configured rule, in its order', async () => {
    const r = await county.fetch('/api/campaign');
    expect(r.status).toBe(200);
    expect(((await r.json()) as { rule1311: unknown }).rule1311).toEqual(rule);
  });

  it('the case list counts what each job-seeker misses by that rule, and filters by a component outside the 2022 rule', async () => {
    const page = async (q: string) => {
      const r = await county.fetch(`/api/cases?county=220102&asOf=2022-07-31${q}`);
      expect(r.status, await r.clone().text()).toBe(200);
      return (await r.json()) as { total: number; rows: Array<{ name: string; missing1311: string[] }> };
    };
    const all = await page('');
    const byName = Object.fromEntries(all.rows.map((x) => [x.name, x.missing1311]));
    expect(byName).toEqual({ '李*光': ['职业指导', '创业培训'], '钱*星': [] });
    const missingStart = await page(`&missing=${encodeURIComponent('创业培训')}`);
    expect(missingStart.rows.map((x) => x.name)).toEqual(['李*光']);
    // 就业见习 is not in this year's rule: nobody misses it.
    expect((await page(`&missing=${encodeURIComponent('就业见习')}`)).total).toBe(0);
    expect((await page('&complete1311=yes')).rows.map((x) => x.name)).toEqual(['钱*星']);
  });
});
