import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain, startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { readMigrations } from '../../backend/src/clickhouse/migrations.repository';

describe('foundation on a real embedded ClickHouse', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('GET /api/health names the engine, its version and the applied migrations', async () => {
    const res = await server.fetch(`/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { engine: string; clickhouseVersion: string; migrations: string[] };
    expect(body.engine).toBe('embedded');
    expect(body.clickhouseVersion).toMatch(/^\d+\.\d+/);
    expect(body.migrations).toEqual(readMigrations().map((m) => m.name));
  });

  it('GET /api/regions serves the reporting tree with its traps', async () => {
    const res = await server.fetch(`/api/regions`);
    const regions = (await res.json()) as Array<{ code: string; name: string; level: string; parentCode: string | null; hasPolygon: boolean }>;
    expect(regions.filter((r) => r.level === 'province')).toEqual([
      { code: '220000', name: '吉林省', level: 'province', parentCode: null, hasPolygon: true },
    ]);
    const units = regions.filter((r) => r.level === 'unit');
    expect(units.map((u) => u.code).sort()).toEqual(
      ['220100', '220200', '220300', '220400', '220500', '220600', '220700', '220800', '222400', '229900', '220581'].sort(),
    );
    const counties = regions.filter((r) => r.level === 'county');
    expect(counties).toHaveLength(72);
    expect(counties.find((c) => c.code === '220184')).toMatchObject({ name: '公主岭市', parentCode: '220100' });
    expect(counties.find((c) => c.code === '220581')).toMatchObject({ parentCode: '220581' });
    expect(counties.filter((c) => c.parentCode === '229900').map((c) => c.code)).toEqual(['229901', '229902', '229903']);
    expect(counties.filter((c) => c.parentCode === '220500').map((c) => c.code)).not.toContain('220581');
    expect(counties.some((c) => c.code === '220381')).toBe(false);
  });

  it('serves the OpenAPI description', async () => {
    const res = await server.fetch(`/api/docs/openapi.json`);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/regions']));
  });

  // How long the built server takes here, now, just to load its code and read its settings (it stops at a
  // bad PORT): the 10 s below are the product's own, counted from there, whatever the machine's load.
  async function startupMs(): Promise<number> {
    const r = await runMain({ DATA_DIR: tempDataDir(), PORT: 'not-a-port' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PORT must be a whole number/);
    return r.ms;
  }

  // The lock is per process, so the second instance is a real second process (the built server).
  it('a second instance on the same DATA_DIR stops within 10 s with one line saying why', async () => {
    const base = await startupMs();
    const r = await runMain({ DATA_DIR: server.dataDir, PORT: '0' });
    expect(r.code).toBe(1);
    expect(r.ms - base).toBeLessThan(10_000);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/DATA_DIR .* is in use by another running instance/);
  });

  it('a CLICKHOUSE_URL that does not answer stops the start within 10 s with one line', async () => {
    const base = await startupMs();
    const r = await runMain({ DATA_DIR: tempDataDir(), PORT: '0', CLICKHOUSE_URL: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.ms - base).toBeLessThan(10_000);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/CLICKHOUSE_URL http:\/\/127\.0\.0\.1:9/);
  });

  it('a CAMPAIGN_CONFIG that makes no sense stops the start with one line naming what is wrong', async () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'campaign.json');
    fs.writeFileSync(file, JSON.stringify({ year: 2023, end: '2023-12-32', rule1311: [{ type: '面试', min: 1 }] }));
    const r = await runMain({ DATA_DIR: dir, PORT: '0', CAMPAIGN_CONFIG: file });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`CAMPAIGN_CONFIG ${file}: end must be a real date YYYY-MM-DD (got "2023-12-32"); rule1311: 面试 is not a 服务类型`);
    fs.writeFileSync(file, '{ "year": 2023, ');
    const broken = await runMain({ DATA_DIR: dir, PORT: '0', CAMPAIGN_CONFIG: file });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/CAMPAIGN_CONFIG .*campaign\.json: cannot be read as JSON/);
  });
});
