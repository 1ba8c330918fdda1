// Dispatch orders (督办): a province or unit user orders a county to act on an
// alert group or a lagging metric by a due date; the county replies in the
// app; an order not done in time climbs like an alert. Every change is audit-logged.
import * as crypto from 'node:crypto';
import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import type { Principal, Scope } from '../auth/scope';
import { isValidDay } from '../metrics/metrics.service';
import { REGION_BY_CODE, unitOfCounty } from '../regions/regions.data';
import { nextVersion } from './alerts.lifecycle';
import { AlertsRepository } from './alerts.repository';
import {
  dispatchLevel, higherLevel, levelsCrossed, RATE_LABELS, RULE_LABELS, shanghai, type AlertsConfig, type Level, type RuleKey,
} from './alerts.rules';
import type { CreateDispatchDto, ReplyDispatchDto } from './dispatch.dto';
import { DispatchRepository, type DispatchEventRow, type DispatchRow } from './dispatch.repository';
import { DISPATCH_STATUS_LABELS, dispatchNotice, recipientAt, regionName, type Notice } from './notify/notice';
import { NotifyService } from './notify/notify.service';
import type { RateKey } from '../metrics/campaign.config';

import type { DispatchDetail, DispatchView } from './alerts.types';

export type { DispatchDetail, DispatchView };

function subjectText(r: Pick<DispatchRow, 'rule' | 'metric'>): string {
  const parts: string[] = [];
  if (r.rule) parts.push(RULE_LABELS[r.rule as RuleKey] ?? r.rule);
  if (r.metric) parts.push(`${RATE_LABELS[r.metric as RateKey] ?? r.metric}进度滞后`);
  return parts.join('；');
}

export function toDispatchView(r: DispatchRow, now: number): DispatchView {
  const overdue = r.status !== 'done' && now >= Date.parse(`${r.due_date}T00:00:00+08:00`) + 86_400_000;
  return {
    id: r.order_id, countyCode: r.county_code, countyName: regionName(r.county_code), unitCode: r.unit_code, issuer: r.issuer, issuerRole: r.issuer_role,
    issuerRegion: r.issuer_region, issuerRegionName: regionName(r.issuer_region), rule: r.rule, ruleLabel: r.rule ? (RULE_LABELS[r.rule as RuleKey] ?? r.rule) : '',
    alertId: r.alert_id, metric: r.metric, metricLabel: r.metric ? (RATE_LABELS[r.metric as RateKey] ?? r.metric) : '', title: r.title, content: r.content,
    dueDate: r.due_date, status: r.status, statusLabel: DISPATCH_STATUS_LABELS[r.status] ?? r.status, level: r.level, overdue,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

@Injectable()
export class DispatchService {
  constructor(
    private readonly repo: DispatchRepository,
    private readonly alerts: AlertsRepository,
    private readonly notify: NotifyService,
    private readonly auth: AuthService,
  ) {}

  /** "Now" for overdue flags: the latest evaluation's, else the wall clock. */
  private async refNow(): Promise<number> {
    const last = await this.alerts.lastEvalNow();
    return last ? Date.parse(`${last.replace(' ', 'T')}+08:00`) : Date.now();
  }

  private visible(r: DispatchRow, scope: Scope): boolean {
    return scope.all || scope.counties.has(r.county_code);
  }

  async create(dto: CreateDispatchDto, p: Principal, scope: Scope, ip: string): Promise<DispatchDetail> {
    const county = REGION_BY_CODE.get(dto.countyCode);
    // 220581 is both a unit and its own county-level unit.
    if (!county || !(county.level === 'county' || county.code === '220581')) {
      throw new BadRequestException(`${dto.countyCode} 不是县级单位：督办下达到县（市、区） / orders go to a county-level unit`);
    }
    scope.assertCanSee(dto.countyCode);
    if (!isValidDay(dto.dueDate)) throw new BadRequestException(`办结时限“${dto.dueDate}”不是有效日期 / dueDate is not a real date`);
    if (!dto.rule && !dto.alertId && !dto.metric) throw new BadRequestException('请指明督办事项：预警规则、预警或滞后指标 / name a rule, an alert or a metric');
    let rule = dto.rule ?? '';
    if (dto.alertId) {
      const a = await this.alerts.get(dto.alertId);
      if (!a || !(scope.all || scope.counties.has(a.county_code) || (!a.county_code && scope.canSee(a.owner_code)))) {
        throw new NotFoundException(`预警 ${dto.alertId} 不存在 / no such alert`);
      }
      if (a.county_code && a.county_code !== dto.countyCode) throw new BadRequestException('该预警不属于所选县区 / the alert belongs to another county');
      rule ||= a.rule;
    }
    const now = Date.now();
    const ts = shanghai(now);
    const row: DispatchRow = {
      order_id: `D${ts.slice(0, 10).replace(/-/g, '')}-${crypto.randomBytes(3).toString('hex')}`,
      county_code: dto.countyCode, unit_code: unitOfCounty(dto.countyCode), issuer: p.username, issuer_role: p.role, issuer_region: p.regionCode,
      rule, alert_id: dto.alertId ?? '', metric: dto.metric ?? '', title: dto.title.trim(), content: (dto.content ?? '').trim(), due_date: dto.dueDate,
      status: 'issued', level: 'county', notified: ['county'], created_at: ts, updated_at: ts, version: nextVersion(),
    };
    await this.repo.save([row]);
    await this.repo.saveEvents([this.event(row, ts, p.username, p.role, 'created', row.content || row.title)]);
    await this.auth.audit(p, ip, 'dispatch.create', row.order_id, `county=${row.county_code} due=${row.due_date} rule=${row.rule} metric=${row.metric} alert=${row.alert_id}`);
    await this.notify.queue([dispatchNotice(row.county_code, this.noticeInput(row, 'created'), this.notify.settings.publicUrl)]);
    void this.notify.flush().catch(() => undefined);
    return this.get(row.order_id, scope);
  }

  async reply(id: string, dto: ReplyDispatchDto, p: Principal, scope: Scope, ip: string): Promise<DispatchDetail> {
    const r = await this.repo.get(id);
    if (!r || !this.visible(r, scope)) throw new NotFoundException(`督办 ${id} 不存在 / no such order`);
    if (p.role !== 'county') throw new ForbiddenException('只有被督办的县区可以回复 / only the county answers');
    const ts = shanghai(Date.now());
    const next: DispatchRow = { ...r, status: dto.status, updated_at: ts, version: nextVersion() };
    await this.repo.save([next]);
    await this.repo.saveEvents([this.event(next, ts, p.username, p.role, 'reply', dto.text.trim())]);
    await this.auth.audit(p, ip, 'dispatch.reply', id, `status=${dto.status}`);
    await this.notify.queue([dispatchNotice(r.issuer_region, this.noticeInput(next, 'replied'), this.notify.settings.publicUrl)]);
    void this.notify.flush().catch(() => undefined);
    return this.get(id, scope);
  }

  async get(id: string, scope: Scope): Promise<DispatchDetail> {
    const r = await this.repo.get(id);
    if (!r || !this.visible(r, scope)) throw new NotFoundException(`督办 ${id} 不存在 / no such order`);
    const events = (await this.repo.events(id)).map((e) => ({ ts: e.ts, actor: e.actor, role: e.role, event: e.event, status: e.status, text: e.text }));
    return { ...toDispatchView(r, await this.refNow()), events };
  }

  async list(
    scope: Scope,
    q: { status?: string; county?: string; alertId?: string; overdue?: number; limit?: number; offset?: number },
  ): Promise<{ total: number; rows: DispatchView[] }> {
    if (q.county) scope.assertCanSee(q.county);
    const now = await this.refNow();
    const page = await this.repo.list(
      { status: q.status ?? '', county: q.county ?? '', alertId: q.alertId ?? '', overdueAt: shanghai(now), overdueOnly: q.overdue ? 1 : 0 },
      { scopeAll: scope.all ? 1 : 0, scopeCounties: scope.all ? [] : [...scope.counties] },
      q.limit ?? 50,
      q.offset ?? 0,
    );
    return { total: page.total, rows: page.rows.map((r) => toDispatchView(r, now)) };
  }

  /** Orders overdue at `now` climb (unit, then province); returns the notices for the levels reached. */
  async escalate(now: number, cfg: AlertsConfig): Promise<{ escalated: number; notices: Notice[] }> {
    const ts = shanghai(now);
    const rows: DispatchRow[] = [];
    const events: DispatchEventRow[] = [];
    const notices: Notice[] = [];
    for (const r of await this.repo.overdue(ts)) {
      const level = higherLevel(r.level as Level, dispatchLevel(r.due_date, now, cfg.escalation));
      const crossed = levelsCrossed(r.level as Level, level).filter((l) => !r.notified.includes(l));
      if (level === r.level) continue;
      const next: DispatchRow = { ...r, level, notified: [...r.notified, ...crossed], updated_at: ts, version: nextVersion() };
      rows.push(next);
      events.push(this.event(next, ts, 'system', '', 'escalated', `逾期未办结，升级至${level === 'unit' ? '市级' : '省级'}`));
      for (const l of crossed) {
        const to = recipientAt({ county_code: r.county_code, unit_code: r.unit_code, owner_code: r.county_code }, l);
        notices.push(dispatchNotice(to, { ...this.noticeInput(next, 'overdue'), level: l }, this.notify.settings.publicUrl));
      }
      await this.auth.audit(null, '', 'dispatch.escalate', r.order_id, `level=${level} due=${r.due_date}`);
    }
    await this.repo.save(rows);
    await this.repo.saveEvents(events);
    return { escalated: rows.length, notices };
  }

  overdueByCounty(now: number) {
    return this.repo.overdueByCounty(shanghai(now));
  }

  private noticeInput(r: DispatchRow, event: 'created' | 'replied' | 'overdue') {
    return { orderId: r.order_id, event, countyCode: r.county_code, issuerRegion: r.issuer_region, dueDate: r.due_date, status: r.status, subject: subjectText(r) };
  }

  private event(r: DispatchRow, ts: string, actor: string, role: string, event: DispatchEventRow['event'], text: string): DispatchEventRow {
    return { order_id: r.order_id, ts, recorded_at: new Date().toISOString(), actor, role, event, status: r.status, text };
  }
}
