// A scheduled alert evaluation asked to stop (a load's refresh waits for it:
// cron/schedule.ts yieldsTo) writes nothing and leaves no conditions behind;
// the evaluation right after a stopped one does not stop, so the alerts are
// never more than one evaluation behind however often loads arrive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsService } from '../../backend/src/alerts/alerts.service';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { startTestServer, type TestServer } from '../helpers/server';
import { writeFixtures } from './alerts.fixtures';

describe('an alert evaluation that makes way for a refresh', () => {
  let server: TestServer;
  let ch: ClickHouseHandle;
  const count = async (table: string): Promise<number> => {
    const rs = await ch.client.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' });
    return Number(((await rs.json()) as Array<{ n: number }>)[0]!.n);
  };
  const stopped = (): AbortSignal => {
    const c = new AbortController();
    c.abort();
    return c.signal;
  };

  beforeAll(async () => {
    server = await startTestServer();
    ch = server.app.get<ClickHouseHandle>(CLICKHOUSE);
    const loaded = await server.app.get(IngestService).loadFiles(writeFixtures().files, { source: 'inbox' });
    expect(loaded.failed).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stops before writing, then the next one runs whatever its signal says, then one may stop again', async () => {
    const alerts = server.app.get(AlertsService);
    const first = (await alerts.runScheduled(stopped())) as { stopped?: boolean };
    expect(first.stopped).toBe(true);
    expect(await alerts.lastEvalNow()).toBeNull();
    expect(await count('alerts')).toBe(0);
    expect(await count('alert_conditions')).toBe(0);

    // Asked to stop again, right after a stopped run: it does not.
    const second = (await alerts.runScheduled(stopped())) as { stopped?: boolean; persisted?: boolean; opened?: number };
    expect(second.stopped).toBeUndefined();
    expect(second.persisted).toBe(true);
    expect(second.opened).toBeGreaterThan(0);
    expect(await alerts.lastEvalNow()).not.toBeNull();
    expect(await count('alert_conditions')).toBe(0);
    const written = await count('alerts');
    expect(written).toBe(second.opened);

    // After a run that finished, a request to stop is honoured again, and what the finished run wrote stays.
    const third = (await alerts.runScheduled(stopped())) as { stopped?: boolean };
    expect(third.stopped).toBe(true);
    expect(await count('alerts')).toBe(written);
    expect(await count('alert_conditions')).toBe(0);
  });

  it('counts the open alerts in the engine, as many per rule as the listed route (the CLI\u2019s) finds', async () => {
    const alerts = server.app.get(AlertsService);
    const scheduled = (await alerts.runScheduled()) as { counts: Record<string, number>; open?: unknown };
    expect(scheduled.open).toBeUndefined();
    const listed = await alerts.evaluate((await alerts.lastEvalNow())!);
    const byRule: Record<string, number> = {};
    for (const a of listed.open) byRule[a.rule] = (byRule[a.rule] ?? 0) + 1;
    expect(Object.values(byRule).reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    // Rules with nothing open are listed as 0 by both.
    expect(Object.fromEntries(Object.entries(scheduled.counts).filter(([, n]) => n > 0))).toEqual(byRule);
    expect(scheduled.counts).toEqual(listed.counts);
    const rs = await ch.client.query({ query: 'SELECT open_total FROM alert_evals ORDER BY finished_at DESC, eval_id DESC LIMIT 2', format: 'JSONEachRow' });
    const totals = ((await rs.json()) as Array<{ open_total: number }>).map((r) => Number(r.open_total));
    expect(totals).toEqual([listed.open.length, listed.open.length]);
  });

  it('without a signal (the CLI, an evaluation on demand) it never stops', async () => {
    const r = (await server.app.get(AlertsService).runScheduled()) as { stopped?: boolean; persisted?: boolean };
    expect(r.stopped).toBeUndefined();
    expect(r.persisted).toBe(true);
  });
});
