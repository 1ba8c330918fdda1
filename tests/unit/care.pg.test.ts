// The PostgreSQL mapping of kinds 9–12 and kind 4's 专项活动: opt-in, so a platform
// without those tables or that column keeps pulling the others.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PG_MAPPING, parsePgMapping } from '../../backend/src/ingest/pg.mapping';
import { pullSql } from '../../backend/src/ingest/pg.source';

describe('PostgreSQL mapping of the care kinds', () => {
  it('leaves them out by default and takes their default table when named', () => {
    expect(DEFAULT_PG_MAPPING.kinds.map((k) => k.kind)).toEqual(['ledger', 'service', 'help', 'event']);
    expect(parsePgMapping({}).kinds.map((k) => k.kind)).toEqual(['ledger', 'service', 'help', 'event']);
    const m = parsePgMapping({ plan: {}, rights: { table: 'platform.cases', columns: { party: null } }, story: {} });
    expect(m.kinds.map((k) => [k.kind, k.table, k.keyColumn])).toEqual([
      ['ledger', 'ledger_persons', 'id_number'], ['service', 'ledger_services', 'record_id'], ['help', 'ledger_help_requests', 'request_id'],
      ['event', 'ledger_events', 'event_id'], ['plan', 'ledger_help_plans', 'plan_id'], ['rights', 'platform.cases', 'case_id'],
      ['story', 'ledger_stories', 'story_id'],
    ]);
    const plan = m.kinds.find((k) => k.kind === 'plan')!;
    expect(Object.keys(plan.columns)).toEqual(['plan_id', 'id_number', 'specialist', 'plan_date', 'measures', 'visit_days', 'status']);
    expect(m.kinds.find((k) => k.kind === 'rights')!.columns.party).toBeUndefined();
    expect(() => parsePgMapping({ plan: { columns: { specialist: null } } })).toThrow(/缺少必填列 服务专员/);
    expect(() => parsePgMapping({ plans: {} })).toThrow(/unknown key "plans"/);
  });

  it('maps 专项活动 only when the event mapping names it', () => {
    const def = DEFAULT_PG_MAPPING.kinds.find((k) => k.kind === 'event')!;
    expect(def.columns.campaign).toBeUndefined();
    const ev = parsePgMapping({ event: { columns: { campaign: 'zxhd' } } }).kinds.find((k) => k.kind === 'event')!;
    expect(ev.columns.campaign).toBe('zxhd');
    expect(pullSql(ev, ['event_id', 'campaign'], false)).toContain('"zxhd" AS "campaign"');
  });
});
