// The alert centre's default view: unresolved alerts grouped by region × rule
// (how many, how severe, how old, how far climbed, how many acknowledged), a
// group's members, and actions on a whole group — acknowledge, or a dispatch
// order that covers every member — each one audited action.
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal, Scope } from '../auth/scope';
import { isValidDay } from '../metrics/metrics.service';
import { REGION_BY_CODE } from '../regions/regions.data';
import { compareGroups, toGroup } from './alerts.groups.logic';
import type { AlertGroupsResponse } from './alerts.groups.types';
import { AlertGroupsRepository, type GroupRow } from './alerts.groups.repository';
import { endOfDay, RULE_LABELS, shanghai, type RuleKey } from './alerts.rules';
import { AlertsService, regionParams, scopeParams, toView, type AlertView } from './alerts.service';
import { DispatchService, type DispatchDetail } from './dispatch.service';
import { regionName } from './notify/notice';

@Injectable()
export class AlertGroupsService {
  constructor(
    private readonly repo: AlertGroupsRepository,
    private readonly alerts: AlertsService,
    private readonly dispatch: DispatchService,
  ) {}

  private regionIn(scope: Scope, code: string | undefined): string {
    const region = code ?? scope.principal.regionCode;
    if (!REGION_BY_CODE.has(region)) throw new BadRequestException(`未知地区代码 ${region} / unknown region code`);
    scope.assertCanSee(region);
    return region;
  }

  /**
   * The groups inside a region (default: the caller's scope). Without `asOf`, or with a day at or after the
   * latest evaluation, they are the alerts as stored (ages at the latest evaluation, as in the alert list);
   * an earlier day rebuilds them from the alerts' history at the end of that day.
   */
  async groups(scope: Scope, q: { region?: string; asOf?: string }): Promise<AlertGroupsResponse> {
    const region = this.regionIn(scope, q.region);
    if (q.asOf !== undefined && !isValidDay(q.asOf)) throw new BadRequestException(`日期“${q.asOf}”不是有效日期 / asOf is not a real date`);
    const last = await this.alerts.lastEvalNow();
    let rows: GroupRow[];
    let ref: number;
    if (q.asOf && last !== null && q.asOf < shanghai(last).slice(0, 10)) {
      ref = endOfDay(q.asOf);
      rows = await this.repo.groupsAt(shanghai(ref), scopeParams(scope), regionParams(region));
    } else {
      ref = last ?? Date.now();
      rows = await this.repo.groups(scopeParams(scope), regionParams(region));
    }
    const groups = rows.map((r) => toGroup(r, ref)).sort(compareGroups);
    return { groups, total: groups.reduce((s, g) => s + g.count, 0) };
  }

  /** One group's members (masked names), oldest first. */
  async members(scope: Scope, q: { region: string; rule: string; limit?: number; offset?: number }): Promise<{ total: number; asOf: string | null; rows: AlertView[] }> {
    const region = this.regionIn(scope, q.region);
    const last = await this.alerts.lastEvalNow();
    const page = await this.repo.members({ rule: q.rule, region, limit: q.limit ?? 50, offset: q.offset ?? 0 }, scopeParams(scope));
    return { total: page.total, asOf: last === null ? null : shanghai(last), rows: page.rows.map((r) => toView(r, last ?? Date.now())) };
  }

  private async openMembers(scope: Scope, region: string, rule: string): Promise<{ all: number; open: string[] }> {
    const { rows } = await this.repo.members({ rule, region, limit: 0, offset: 0 }, scopeParams(scope));
    if (!rows.length) throw new NotFoundException(`${regionName(region)}没有未解除的“${RULE_LABELS[rule as RuleKey] ?? rule}”预警 / the group is empty`);
    return { all: rows.length, open: rows.filter((r) => r.state === 'open').map((r) => r.alert_id) };
  }

  /** Acknowledges every open member of a group: one audited action (`alert.group.ack`). */
  async acknowledge(scope: Scope, p: Principal, ip: string, b: { region: string; rule: string; note?: string }) {
    const region = this.regionIn(scope, b.region);
    const m = await this.openMembers(scope, region, b.rule);
    const r = await this.alerts.acknowledge(m.open, b.note ?? '', p, scope, ip, { action: 'alert.group.ack', target: `${region}:${b.rule}`, detail: `members=${m.all}` });
    return { region, rule: b.rule, members: m.all, acknowledged: r.acknowledged.length, alreadyAcknowledged: m.all - m.open.length, skipped: r.skipped };
  }

  /**
   * A dispatch order about a county's group (rule), and every open member acknowledged with the order's
   * number: the order covers them all. Audited as `dispatch.create` and one `alert.group.dispatch`.
   */
  async dispatchOrder(
    scope: Scope, p: Principal, ip: string, b: { region: string; rule: string; dueDate: string; title: string; content?: string },
  ): Promise<{ order: DispatchDetail; members: number; acknowledged: number }> {
    const region = this.regionIn(scope, b.region);
    const r = REGION_BY_CODE.get(region)!;
    if (!(r.level === 'county' || region === '220581')) throw new BadRequestException(`${r.name}不是县级单位：督办下达到县（市、区） / orders go to a county-level unit`);
    const m = await this.openMembers(scope, region, b.rule);
    const order = await this.dispatch.create({ countyCode: region, rule: b.rule, dueDate: b.dueDate, title: b.title, content: b.content }, p, scope, ip);
    const ack = await this.alerts.acknowledge(m.open, `已下达督办 ${order.id}（${order.dueDate} 前办结）`, p, scope, ip, {
      action: 'alert.group.dispatch', target: `${region}:${b.rule}`, detail: `order=${order.id} members=${m.all}`,
    });
    return { order, members: m.all, acknowledged: ack.acknowledged.length };
  }
}
