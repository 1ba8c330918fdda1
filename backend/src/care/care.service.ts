// Rules of the care views: a person's plan panel (current plan, visits, next
// visit due or overdue), a region's rights cases with their deadlines, the
// 亮相 checklist of the reporting units.
import { Inject, Injectable } from '@nestjs/common';
import { COUNTIES, REGION_BY_CODE, UNITS, countiesUnder } from '../regions/regions.data';
import { rulesFor } from '../metrics/campaign.config';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CASE_TYPES } from './care.schema';
import { CareRepository } from './care.repository';
import type { ChecklistResponse, ChecklistUnit, PersonPlanPanel, RightsCasesResponse, ScreenCare } from './care.api.types';
import type { CareMetrics } from './care.types';

type WithCare = CareMetrics & { region: string; name: string; hardship: number };

const DAY_MS = 86_400_000;
const dayNum = (d: string): number => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
const dayStr = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
const nameOf = (code: string): string => REGION_BY_CODE.get(code)?.name ?? code;

@Injectable()
export class CareService {
  constructor(private readonly repo: CareRepository, @Inject(APP_CONFIG) private readonly appCfg: AppConfig) {}

  async personPanel(personKey: string, asOf: string): Promise<PersonPlanPanel> {
    const cfg = rulesFor(this.appCfg).care;
    const rows = await this.repo.personCare(personKey, cfg.visitType);
    const plans = rows.filter((r) => r.what === 'plan')
      .map((r) => ({ planId: r.id, specialist: r.specialist, planDate: r.day, measures: r.measures, visitDays: r.visit_days, status: r.status }))
      .sort((a, b) => (a.planDate === b.planDate ? (a.planId < b.planId ? -1 : 1) : a.planDate < b.planDate ? -1 : 1));
    const visits = rows.filter((r) => r.what === 'visit')
      .map((r) => ({ recordId: r.id, day: r.day, staff: r.specialist, county: r.county, method: r.method }))
      .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    const inForce = plans.filter((p) => p.planDate <= asOf);
    const cur = inForce[inForce.length - 1] ?? null;
    const seen = visits.filter((v) => v.day.slice(0, 10) <= asOf);
    const lastVisit = seen.length ? seen[seen.length - 1]!.day.slice(0, 10) : null;
    let nextDue: string | null = null;
    let overdueDays = 0;
    if (cur && cur.status === '执行中') {
      const k = cur.visitDays ?? cfg.defaultVisitDays;
      const last = lastVisit !== null && lastVisit > cur.planDate ? lastVisit : cur.planDate;
      nextDue = dayStr(dayNum(last) + k);
      overdueDays = Math.max(0, dayNum(asOf) - dayNum(nextDue));
    }
    return {
      current: cur && {
        planId: cur.planId, specialist: cur.specialist, planDate: cur.planDate, measures: cur.measures,
        visitDays: cur.visitDays ?? cfg.defaultVisitDays, visitDaysDefaulted: cur.visitDays === null, status: cur.status,
      },
      plans, visits, lastVisit, nextDue, overdueDays, asOf,
    };
  }

  /** Region codes whose records count in a region: its counties, plus its own code at a unit; null = everything (province). */
  private codesOf(code: string): string[] | null {
    const r = REGION_BY_CODE.get(code);
    if (!r || r.level === 'province') return null;
    return r.level === 'unit' ? [...new Set([code, ...countiesUnder(code)])] : [code];
  }

  async cases(region: string, asOf: string, openOnly: boolean): Promise<RightsCasesResponse> {
    const rows = await this.repo.cases(asOf, this.codesOf(region), false);
    const byType = Object.fromEntries(CASE_TYPES.map((t) => [t, 0])) as Record<string, number>;
    for (const c of rows) byType[c.caseType] = (byType[c.caseType] ?? 0) + 1;
    return {
      region, asOf, total: rows.length, open: rows.filter((c) => c.open).length, overdue: rows.filter((c) => c.overdue).length, byType,
      rows: rows.filter((c) => !openOnly || c.open).map((c) => ({ ...c, regionName: nameOf(c.region) })),
    };
  }

  /** The 亮相 checklist of the reporting units in a region (the province: all 11), as of a day. */
  async checklist(region: string, asOf: string): Promise<ChecklistResponse> {
    const cfg = rulesFor(this.appCfg).care;
    const r = REGION_BY_CODE.get(region);
    const units = !r || r.level === 'province' ? UNITS : UNITS.filter((u) => u.code === (r.level === 'unit' ? r.code : r.parentCode));
    const pubs = (await this.repo.publications(units.map((u) => u.code))).filter((p) => p.published_date <= asOf);
    const out: ChecklistUnit[] = units.map((u) => {
      const mine = pubs.filter((p) => p.unit_code === u.code);
      const cells = cfg.publicityItems.map((items) => {
        const p = mine.find((x) => x.items.some((it) => items.includes(it)));
        return {
          items,
          done: p ? { day: p.published_date, url: p.url, channel: p.channel, region: p.region_code, regionName: nameOf(p.region_code) } : null,
          late: p ? p.published_date > cfg.publicityDeadline : asOf > cfg.publicityDeadline,
        };
      });
      const complete = cells.every((c) => c.done) ? cells.map((c) => c.done!.day).sort().at(-1)! : null;
      return { unit: u.code, name: u.name, cells, complete, onTime: complete !== null && complete <= cfg.publicityDeadline };
    });
    return { asOf, deadline: cfg.publicityDeadline, units: out };
  }

  /** The wall's care scene from a region's full metrics (self and children carry the care keys) and the checklist. */
  async screen(self: WithCare, children: readonly WithCare[], asOf: string): Promise<ScreenCare> {
    const list = await this.checklist(self.region, asOf);
    return {
      rows: children.map((c) => ({
        code: c.region, name: c.name, hardship: c.hardship, withPlan: c.hardshipWithPlan, planRate: c.hardshipPlanRate, visitOverdue: c.hardshipVisitOverdue,
      })),
      totals: {
        hardship: self.hardship, withPlan: self.hardshipWithPlan, planRate: self.hardshipPlanRate, visited: self.hardshipVisited,
        visitOverdue: self.hardshipVisitOverdue,
      },
      rights: { total: self.rightsCases, open: self.rightsOpen, overdue: self.rightsOverdue, graduates: self.rightsGraduates, byType: self.rightsByType },
      checklist: {
        deadline: list.deadline,
        items: rulesFor(this.appCfg).care.publicityItems.map((e) => e.join('/')),
        units: list.units.map((u) => ({
          code: u.unit, name: u.name, complete: u.complete, onTime: u.onTime,
          cells: u.cells.map((c) => (c.done ? (c.late ? 'late' : 'ok') : 'missing')),
        })),
      },
      campaigns: self.eventsByCampaign,
      stories: self.stories,
    };
  }

  /** Every open case as of a day (the alert rule and the weekly list form). */
  openCases(asOf: string) {
    return this.repo.cases(asOf, null, true);
  }

  countyName(code: string): string {
    return COUNTIES.find((c) => c.code === code)?.name ?? nameOf(code);
  }
}
