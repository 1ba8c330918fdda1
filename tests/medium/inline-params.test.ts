// The alert rules' queries run on the embedded engine with their parameters written in
// (alerts.repository.ts insertSelect → inlineParams, on the background connection). Here each value
// kind is read back through both routes — the engine's substitution on the main connection, the
// written literal on the background one — and must be the same, bytes and type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { inlineParams } from '../../backend/src/clickhouse/inline-params';
import { startTestServer, type TestServer } from '../helpers/server';

describe('parameters written as literals', () => {
  let server: TestServer;
  let ch: ClickHouseHandle;
  beforeAll(async () => {
    server = await startTestServer();
    ch = server.app.get<ClickHouseHandle>(CLICKHOUSE);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('give the values and types the engine’s own substitution gives', async () => {
    const sql = `SELECT {s:String} AS s, toTypeName({s:String}) AS ts, {n:UInt64} AS n, toTypeName({n:UInt64}) AS tn,
        toString({d:DateTime('Asia/Shanghai')}) AS d, toTypeName({d:DateTime('Asia/Shanghai')}) AS td, toString({day:Date}) AS day,
        {a:Array(String)} AS a, {c:Array(UInt32)} AS c, toTypeName({c:Array(UInt32)}) AS tc, {e:Array(String)} AS e, {f:UInt8} AS f`;
    const params = {
      s: "求助超过24小时未联系 \\ ' \" \t end", n: 2 ** 40 + 7, d: '2022-12-31 23:59:59', day: '2022-08-31',
      a: ['联系', "it's", 'back\\slash', ''], c: [3, 1, 1, 1], e: [], f: 1,
    };
    const viaParams = await (await ch.client.query({ query: sql, query_params: params, format: 'JSONEachRow' })).json();
    const bg = await ch.background();
    expect(bg).not.toBe(ch.client);
    const viaLiterals = await (await bg.query({ query: inlineParams(sql, params), format: 'JSONEachRow' })).json();
    expect(viaLiterals).toEqual(viaParams);
    expect((viaParams[0] as { s: string }).s).toBe(params.s);
  });

  it('the background connection sees the main connection’s tables and what it writes is seen there', async () => {
    const bg = await ch.background();
    const before = await (await ch.client.query({ query: 'SELECT count() AS n FROM alert_conditions', format: 'JSONEachRow' })).json<{ n: number }>();
    await bg.command({ query: inlineParams(`INSERT INTO alert_conditions (eval_id, rule, subject, subject_kind, county_code, unit_code, owner_code, owner_level, severity, title, name_masked, detail, breached_at)
      SELECT {e:UInt64}, 'stale_data', 'x', 'county', '220102', '220100', '220102', 'county', 'warning', 't', '', '', toDateTime('2022-12-31 00:00:00', 'Asia/Shanghai')`, { e: 99 }) });
    const after = await (await ch.client.query({ query: 'SELECT count() AS n FROM alert_conditions WHERE eval_id = 99', format: 'JSONEachRow' })).json<{ n: number }>();
    expect(Number(after[0]!.n)).toBe(1);
    await ch.client.command({ query: 'ALTER TABLE alert_conditions DROP PARTITION 99' });
    const end = await (await ch.client.query({ query: 'SELECT count() AS n FROM alert_conditions', format: 'JSONEachRow' })).json<{ n: number }>();
    expect(Number(end[0]!.n)).toBe(Number(before[0]!.n));
  });
});
