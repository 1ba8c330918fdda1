// Each alert rule against hand-made fixtures at its boundaries (alerts.fixtures.ts
// works each one out): 23:59 vs 24:01, day 7 vs day 8, day 3/4, 31 July, day
// 60/61, ended vs running week and month, the semi-monthly checkpoint, stale
// data and failed pulls. The CLI contract first, then the rules evaluated in
// process at the end of each day (dry runs: conditions only, nothing stored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsService, type AlertView } from '../../backend/src/alerts/alerts.service';
import { endOfDay, type RuleKey } from '../../backend/src/alerts/alerts.rules';
import { IngestRepository } from '../../backend/src/ingest/ingest.repository';
import { ingest, runCli } from '../helpers/ledger-fixtures';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { personalData, writeFixtures } from './alerts.fixtures';
import { budget } from '../helpers/budget';

interface CliAlerts {
  asOf: string;
  persisted: boolean;
  open: Array<{ rule: string; subject: string; name: string; level: string; state: string; county: string; breachedAt: string }>;
  counts: Record<string, number>;
}

describe('alert rules at their boundaries', () => {
  let server: TestServer;
  let dataDir: string;
  const cli: Record<string, CliAlerts> = {};
  let badDay: { code: number | null; stderr: string };

  beforeAll(async () => {
    dataDir = tempDataDir('alerts-rules-');
    const { files } = writeFixtures();
    const loaded = await ingest(dataDir, files);
    expect(loaded).toMatchObject({ rejected: 0 });
    for (const day of ['2022-07-11', '2022-07-14', '2022-07-12']) {
      const r = await runCli(dataDir, ['alerts', '--as-of', day, '--json']);
      if (r.code !== 0 || !r.json) throw new Error(`alerts ${day} failed (${r.code}): ${r.stderr}`);
      cli[day] = r.json as unknown as CliAlerts;
    }
    const bad = await runCli(dataDir, ['alerts', '--as-of', '2022-02-30']);
    badDay = { code: bad.code, stderr: bad.stderr };
    server = await startTestServer({ dataDir });
  }, budget(120_000));
  afterAll(async () => {
    await server?.close();
  });

  const cache = new Map<string, AlertView[]>();
  async function openOn(day: string): Promise<AlertView[]> {
    let v = cache.get(day);
    if (!v) {
      v = (await server.app.get(AlertsService).evaluate(endOfDay(day), { dryRun: true })).open;
      cache.set(day, v);
    }
    return v;
  }
  async function names(rule: RuleKey, day: string): Promise<string[]> {
    return (await openOn(day)).filter((a) => a.rule === rule).map((a) => a.name).sort();
  }
  async function subjects(rule: RuleKey, day: string, prefix = ''): Promise<string[]> {
    return (await openOn(day)).filter((a) => a.rule === rule && a.subject.startsWith(prefix)).map((a) => a.subject).sort();
  }

  it('the CLI evaluates at the end of the day and prints {open, counts} as its last line', () => {
    const d = cli['2022-07-11']!;
    expect(d.asOf).toBe('2022-07-11');
    expect(d.persisted).toBe(true);
    expect(Object.keys(d.counts).sort()).toEqual([
      'below_target', 'hardship_no_followup', 'hardship_no_one_on_one', 'hardship_no_plan', 'hardship_visit_overdue', 'help_request_overdue',
      'incomplete_1311', 'no_training_centre', 'not_contacted', 'not_distributed', 'policy_pending', 'post_unpublished', 'publicity_missing',
      'recruitment_missed', 'rights_case_overdue', 'stale_data',
    ]);
    expect(d.counts.help_request_overdue).toBe(2);
    const help = d.open.filter((a) => a.rule === 'help_request_overdue');
    expect(help.map((a) => a.subject).sort()).toEqual(['H2', 'H4']);
    expect(help.every((a) => a.name === '张*丰' && a.level === 'county' && a.state === 'open' && a.county === '220102')).toBe(true);
    expect(help.find((a) => a.subject === 'H4')!.breachedAt).toBe('2022-07-11 23:58:59');
    expect(d.counts.not_contacted).toBe(1);
    for (const x of personalData()) expect(JSON.stringify(d)).not.toContain(x);
  });

  it('the CLI on a later day climbs what stayed open past the county window (72 h)', () => {
    const d = cli['2022-07-14']!;
    const help = Object.fromEntries(d.open.filter((a) => a.rule === 'help_request_overdue').map((a) => [a.subject, a]));
    expect(Object.keys(help).sort()).toEqual(['H3', 'H4']);
    // H4 opened at the end of 07-11: 72 hours later is the end of 07-14.
    expect(help.H4!.level).toBe('unit');
    // H3 first seen at this evaluation.
    expect(help.H3!.level).toBe('county');
  });

  it('an as-of day before the latest evaluation shows that day’s conditions and writes nothing', () => {
    const d = cli['2022-07-12']!;
    expect(d.persisted).toBe(false);
    expect(d.open.filter((a) => a.rule === 'help_request_overdue').map((a) => a.subject).sort()).toEqual(['H3', 'H4']);
  });

  it('the CLI refuses an impossible day', () => {
    expect(badDay.code).toBe(2);
    expect(badDay.stderr).toMatch(/as-of/);
  });

  it('help_request_overdue: 23:59 vs 24:01, resolved when the contact is recorded', async () => {
    expect(await subjects('help_request_overdue', '2022-07-10')).toEqual([]);
    expect(await subjects('help_request_overdue', '2022-07-11')).toEqual(['H2', 'H4']);
    expect(await subjects('help_request_overdue', '2022-07-12')).toEqual(['H3', 'H4']);
    expect(await names('help_request_overdue', '2022-07-12')).toEqual(['张*丰', '张*丰']);
  });

  it('not_contacted: day 7 vs day 8 from 下发日期 (or 接收日期), failed calls do not count', async () => {
    expect(await names('not_contacted', '2022-07-08')).toEqual([]);
    expect(await names('not_contacted', '2022-07-09')).toEqual(['张*丰', '王*石']);
    expect(await names('not_contacted', '2022-07-10')).toEqual(['张*丰']);
    // 李二明 (下发 07-05, reached on 07-12 = day 7) never appears; 赵四海 (下发 07-06 to 220103): day 7 = 07-13, day 8 = 07-14.
    expect(await names('not_contacted', '2022-07-13')).toEqual(['张*丰']);
    expect(await names('not_contacted', '2022-07-14')).toEqual(['张*丰', '赵*海']);
    expect((await openOn('2022-07-14')).find((a) => a.rule === 'not_contacted' && a.name === '赵*海')).toMatchObject({ countyCode: '220103', unitCode: '220100', ownerLevel: 'county' });
    expect(await names('not_contacted', '2022-07-24')).toEqual(['张*丰', '赵*海']);
    expect(await names('not_contacted', '2022-07-25')).toEqual(['张*丰']);
  });

  it('not_distributed: day 3 vs day 4 after receipt, and anyone still undistributed at the end of 31 July; owned by the province', async () => {
    expect(await names('not_distributed', '2022-07-04')).toEqual([]);
    expect(await names('not_distributed', '2022-07-05')).toEqual(['赵*海']);
    expect((await openOn('2022-07-05')).find((a) => a.rule === 'not_distributed')).toMatchObject({ ownerCode: '220000', ownerLevel: 'province', level: 'province', countyCode: '' });
    expect(await names('not_distributed', '2022-07-06')).toEqual([]);
    expect(await names('not_distributed', '2022-07-30')).toEqual([]);
    expect(await names('not_distributed', '2022-07-31')).toEqual(['钱*月']);
  });

  it('hardship_no_one_on_one: day 7 vs day 8 after receipt, closed by the 一对一帮扶 record', async () => {
    expect(await names('hardship_no_one_on_one', '2022-07-08')).toEqual([]);
    expect(await names('hardship_no_one_on_one', '2022-07-09')).toEqual(['周*星']);
    expect(await names('hardship_no_one_on_one', '2022-07-19')).toEqual(['周*星']);
    expect(await names('hardship_no_one_on_one', '2022-07-20')).toEqual([]);
  });

  it('hardship_no_followup: 30 days without any service, not for the employed', async () => {
    expect(await names('hardship_no_followup', '2022-08-06')).toEqual([]);
    expect(await names('hardship_no_followup', '2022-08-07')).toEqual(['孙*合']);
    // 周七星's last service was 07-20 10:00: 30 days run out at 08-19 10:00. 吴八达 (employed) never.
    expect(await names('hardship_no_followup', '2022-08-19')).toEqual(['周*星', '孙*合']);
    expect(await names('hardship_no_followup', '2022-08-20')).toEqual(['周*星']);
  });

  it('incomplete_1311: day 60 vs day 61 after the first contact', async () => {
    expect(await names('incomplete_1311', '2022-08-30')).toEqual([]);
    expect(await names('incomplete_1311', '2022-08-31')).toEqual(['冯*全']);
  });

  it('recruitment_missed: an ended ISO week without a 专业性 event, an ended month without a 综合性 one; a later event closes the miss', async () => {
    // W28 is 07-11 … 07-17: running on Saturday 07-16, ended at the end of Sunday 07-17.
    expect(await subjects('recruitment_missed', '2022-07-16', '220100:')).toEqual([]);
    expect(await subjects('recruitment_missed', '2022-07-17', '220100:')).toEqual(['220100:week:2022-W28']);
    expect(await subjects('recruitment_missed', '2022-07-19', '220100:')).toEqual(['220100:week:2022-W28']);
    expect(await subjects('recruitment_missed', '2022-07-20', '220100:')).toEqual([]);
    expect(await subjects('recruitment_missed', '2022-07-31', '220100:')).toEqual(['220100:week:2022-W30']);
    expect(await subjects('recruitment_missed', '2022-08-30', '220100:month')).toEqual([]);
    expect(await subjects('recruitment_missed', '2022-08-31', '220100:month')).toEqual(['220100:month:2022-08']);
    const a = (await openOn('2022-07-17')).find((x) => x.subject === '220100:week:2022-W28')!;
    expect(a).toMatchObject({ ownerCode: '220100', ownerLevel: 'unit', level: 'unit', countyCode: '', name: '' });
    // Units with no events at all miss every ended week of the campaign, from W27 (the week that began before 07-01 is not judged).
    expect(await subjects('recruitment_missed', '2022-07-17', '220200:')).toEqual(['220200:week:2022-W27', '220200:week:2022-W28']);
  });

  it('below_target: below the target path at the 16th, closed once back on the path', async () => {
    // The path is 0 on the first checkpoint (07-01), so nothing is below it until 07-16.
    expect(await subjects('below_target', '2022-07-15')).toEqual([]);
    const on16 = await subjects('below_target', '2022-07-16');
    expect(on16).toContain('county:220103:contactRate');
    expect(on16).not.toContain('county:220102:contactRate');
    expect(on16).toContain('county:220105:rate1311');
    expect(on16).not.toContain('unit:220100:contactRate');
    expect(await subjects('below_target', '2022-07-24', 'county:220103')).toEqual(['county:220103:contactRate']);
    expect(await subjects('below_target', '2022-07-25', 'county:220103')).toEqual([]);
  });

  it('stale_data: a county whose latest ledger entry is 7 days old', async () => {
    // 南关区's latest entry is 李二明's call on 07-12 10:00.
    expect(await subjects('stale_data', '2022-07-18', 'county:220102')).toEqual([]);
    expect(await subjects('stale_data', '2022-07-19', 'county:220102')).toEqual(['county:220102']);
  });

  it('stale_data: a source silent for 7 days, and a failed pull until the next one succeeds', async () => {
    const runs = server.app.get(IngestRepository);
    const run = (id: number, status: 'succeeded' | 'failed', at: string, accepted: number) =>
      runs.saveRun({
        run_id: id, source: 'inbox', label: `f${id}.csv`, status, started_at: at, finished_at: at, rows_read: accepted, accepted, rejected: 0, warnings: 0,
        duplicates: 0, error: status === 'failed' ? 'file unreadable' : '', detail: '{}',
      });
    await run(9001, 'succeeded', '2022-07-20T02:00:00.000Z', 5);
    await run(9002, 'failed', '2022-07-22T02:00:00.000Z', 0);
    await run(9003, 'succeeded', '2022-07-24T02:00:00.000Z', 0);
    const svc = server.app.get(AlertsService);
    const src = async (day: string) => (await svc.evaluate(endOfDay(day), { dryRun: true })).open.filter((a) => a.subjectKind === 'source').map((a) => a.subject).sort();
    expect(await src('2022-07-21')).toEqual([]);
    expect(await src('2022-07-22')).toEqual(['source:inbox:failed']);
    // The run on 07-24 succeeded but brought nothing new: the failure is over, the silence goes on (new data last on 07-20 10:00).
    expect(await src('2022-07-26')).toEqual([]);
    expect(await src('2022-07-27')).toEqual(['source:inbox:silent']);
    const silent = (await svc.evaluate(endOfDay('2022-07-27'), { dryRun: true })).open.find((a) => a.subject === 'source:inbox:silent')!;
    expect(silent).toMatchObject({ ownerCode: '220000', level: 'province', breachedAt: '2022-07-27 10:00:00' });
  });

  it('no rule output carries a name, ID number or phone in clear', async () => {
    const all = JSON.stringify(await openOn('2022-08-31'));
    for (const x of personalData()) expect(all).not.toContain(x);
  });
});
