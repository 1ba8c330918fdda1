// Who hears what, and the sending: each region's channels (the liaison
// directory's robots and e-mail by default, plus channels admins add), an
// outbox row per notice and channel, quiet hours, retries with backoff, and
// a delivery log of every attempt.
import * as crypto from 'node:crypto';
import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { LiaisonsService } from '../../liaisons/liaisons.service';
import { REGION_BY_CODE } from '../../regions/regions.data';
import { nextVersion } from '../alerts.lifecycle';
import { AlertsRepository, type ChannelRow, type OutboxRow } from '../alerts.repository';
import { sendDingtalk } from './dingtalk';
import { sendFeishu } from './feishu';
import type { SendResult } from './http';
import { maskTarget, type Notice } from './notice';
import { backoffMs, isQuiet, loadNotifySettings, type NotifySettings } from './notify.settings';
import { sendEmail } from './smtp';
import { sendWebhook } from './webhook';
import { sendWecom } from './wecom';

export const CHANNEL_KINDS = ['wecom', 'dingtalk', 'feishu', 'webhook', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface ResolvedChannel {
  id: string;
  regionCode: string;
  kind: ChannelKind;
  target: string;
  secret: string;
  source: 'liaison' | 'extra';
}

export interface ChannelView {
  id: string;
  regionCode: string;
  regionName: string;
  kind: ChannelKind | 'liaison';
  target: string;
  secretSet: boolean;
  enabled: boolean;
  source: 'liaison' | 'extra';
}

export interface FlushResult {
  sent: number;
  failed: number;
  retrying: number;
  held: number;
}

@Injectable()
export class NotifyService {
  private readonly log = new Logger('Notify');
  settings: NotifySettings = loadNotifySettings();
  /** The wall clock for quiet hours, backoff and signatures (rule evaluation never reads it). Tests replace it. */
  clock: () => number = () => Date.now();
  private inFlight: Promise<FlushResult> | null = null;
  private readonly sentAt = new Map<string, number[]>();

  constructor(
    private readonly repo: AlertsRepository,
    private readonly liaisons: LiaisonsService,
  ) {}

  // ------------------------------------------------------------ channels

  /** Every region's channels: the liaison directory's (unless switched off for the region) and the extra ones. */
  async channels(): Promise<ResolvedChannel[]> {
    const extra = await this.repo.listChannels();
    const off = new Set(extra.filter((c) => c.kind === 'liaison' && !c.enabled).map((c) => c.region_code));
    const out: ResolvedChannel[] = [];
    for (const l of await this.liaisons.rows()) {
      if (off.has(l.region_code)) continue;
      const add = (kind: ChannelKind, target: string, secret = '') => {
        if (target) out.push({ id: `liaison:${l.region_code}:${kind}`, regionCode: l.region_code, kind, target, secret, source: 'liaison' });
      };
      add('wecom', l.wecom_webhook);
      add('dingtalk', l.dingtalk_webhook, l.dingtalk_secret);
      add('feishu', l.feishu_webhook);
      add('webhook', l.generic_webhook);
      add('email', l.email);
    }
    for (const c of extra) {
      if (c.kind === 'liaison' || !c.enabled) continue;
      out.push({ id: c.channel_id, regionCode: c.region_code, kind: c.kind as ChannelKind, target: c.target, secret: c.secret, source: 'extra' });
    }
    return out;
  }

  async channelViews(): Promise<ChannelView[]> {
    const extra = await this.repo.listChannels();
    const resolved = await this.channels();
    const views: ChannelView[] = resolved
      .filter((c) => c.source === 'liaison')
      .map((c) => ({ id: c.id, regionCode: c.regionCode, regionName: REGION_BY_CODE.get(c.regionCode)?.name ?? c.regionCode, kind: c.kind, target: c.target, secretSet: c.secret !== '', enabled: true, source: 'liaison' as const }));
    for (const c of extra) {
      views.push({
        id: c.channel_id, regionCode: c.region_code, regionName: REGION_BY_CODE.get(c.region_code)?.name ?? c.region_code, kind: c.kind as ChannelKind | 'liaison',
        target: c.target, secretSet: c.secret !== '', enabled: c.enabled, source: 'extra',
      });
    }
    return views.sort((a, b) => a.regionCode.localeCompare(b.regionCode) || a.kind.localeCompare(b.kind));
  }

  async saveChannel(
    c: { id?: string; regionCode: string; kind: ChannelKind | 'liaison'; target?: string; secret?: string; enabled?: boolean },
    by: string,
  ): Promise<ChannelView> {
    if (!REGION_BY_CODE.has(c.regionCode)) throw new BadRequestException(`未知地区代码 ${c.regionCode} / unknown region code`);
    const existing = (await this.repo.listChannels()).find((x) => x.channel_id === c.id);
    if (c.id && !existing) throw new NotFoundException(`通知渠道 ${c.id} 不存在 / no such channel`);
    const target = c.target ?? existing?.target ?? '';
    if (c.kind === 'email' && !target.split(/[;,]\s*/).every((a) => /^[^\s@<>;,]+@[^\s@<>;,]+$/.test(a))) throw new BadRequestException('邮箱地址格式错误 / invalid e-mail address');
    if (c.kind !== 'email' && c.kind !== 'liaison' && !/^https?:\/\/\S+$/.test(target)) throw new BadRequestException('机器人地址必须是 http(s) URL / webhook must be an http(s) URL');
    // A region's liaison switch is one row per region.
    const liaisonRow = c.kind === 'liaison' ? (await this.repo.listChannels()).find((x) => x.kind === 'liaison' && x.region_code === c.regionCode) : undefined;
    const row: ChannelRow = {
      channel_id: existing?.channel_id ?? liaisonRow?.channel_id ?? `ch_${crypto.randomBytes(6).toString('hex')}`,
      region_code: c.regionCode, kind: c.kind, target: c.kind === 'liaison' ? '' : target,
      // An omitted secret keeps the stored one (it is never sent back).
      secret: c.secret ?? existing?.secret ?? '', enabled: c.enabled ?? true, deleted: false, updated_by: by, version: nextVersion(),
    };
    await this.repo.saveChannel(row);
    return {
      id: row.channel_id, regionCode: row.region_code, regionName: REGION_BY_CODE.get(row.region_code)?.name ?? row.region_code,
      kind: row.kind as ChannelKind | 'liaison', target: row.target, secretSet: row.secret !== '', enabled: row.enabled, source: 'extra',
    };
  }

  async deleteChannel(id: string, by: string): Promise<ChannelRow> {
    const existing = (await this.repo.listChannels()).find((x) => x.channel_id === id);
    if (!existing) throw new NotFoundException(`通知渠道 ${id} 不存在（联络员目录中的渠道请在联络员名录中修改） / no such channel`);
    await this.repo.saveChannel({ ...existing, deleted: true, updated_by: by, version: nextVersion() });
    return existing;
  }

  // ------------------------------------------------------------ outbox

  /** Puts notices in the outbox, one row per channel of the recipient region. Returns the rows queued. */
  async queue(notices: Notice[]): Promise<number> {
    if (!notices.length) return 0;
    const byRegion = new Map<string, ResolvedChannel[]>();
    for (const c of await this.channels()) {
      if (!byRegion.has(c.regionCode)) byRegion.set(c.regionCode, []);
      byRegion.get(c.regionCode)!.push(c);
    }
    const now = new Date(this.clock()).toISOString();
    const rows: OutboxRow[] = [];
    for (const n of notices) {
      const noticeId = crypto.randomBytes(8).toString('hex');
      for (const c of byRegion.get(n.regionCode) ?? []) {
        rows.push({
          notice_id: noticeId, channel_id: c.id, region_code: n.regionCode, kind: n.kind, rule: n.rule, notice: JSON.stringify(n), status: 'pending',
          attempts: 0, created_at: now, send_after: now, version: nextVersion(),
        });
      }
    }
    await this.repo.saveOutbox(rows);
    return rows.length;
  }

  /** Sends what is due; a run already in progress is joined. */
  flush(): Promise<FlushResult> {
    this.inFlight ??= this.doFlush().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async doFlush(): Promise<FlushResult> {
    const res: FlushResult = { sent: 0, failed: 0, retrying: 0, held: 0 };
    const now = this.clock();
    const quiet = isQuiet(now, this.settings.quiet);
    const channels = new Map((await this.channels()).map((c) => [c.id, c]));
    const down = new Set<string>();
    for (;;) {
      const due = await this.repo.dueOutbox(new Date(now).toISOString(), 500, !quiet);
      const todo = due.filter((r) => !down.has(r.channel_id));
      if (!todo.length) break;
      let progressed = false;
      for (const row of todo) {
        if (down.has(row.channel_id)) continue;
        const ch = channels.get(row.channel_id);
        if (ch && this.overRate(ch, now)) {
          down.add(ch.id);
          continue;
        }
        progressed = true;
        const attempt = row.attempts + 1;
        const notice = JSON.parse(row.notice) as Notice;
        const r: SendResult = ch ? await this.send(ch, notice, now) : { ok: false, httpStatus: 0, error: '通知渠道已删除或停用 / channel removed', payload: '' };
        const giveUp = !r.ok && (!ch || attempt >= this.settings.retryAttempts);
        await this.repo.saveDelivery({
          ts: new Date(this.clock()).toISOString(), notice_id: row.notice_id, channel_id: row.channel_id, channel_kind: ch?.kind ?? '',
          target: ch ? maskTarget(ch.target) : '', region_code: row.region_code, kind: row.kind, rule: row.rule, attempt,
          status: r.ok ? 'sent' : giveUp ? 'failed' : 'retrying', http_status: r.httpStatus, error: r.error.slice(0, 500), payload: r.payload.slice(0, 20_000),
        });
        const next: OutboxRow = { ...row, attempts: attempt, version: nextVersion() };
        if (r.ok) {
          next.status = 'sent';
          res.sent++;
        } else if (giveUp) {
          next.status = 'failed';
          res.failed++;
          this.log.warn(`notice ${row.notice_id} to ${row.channel_id} failed after ${attempt} attempts: ${r.error}`);
        } else {
          next.send_after = new Date(now + backoffMs(attempt, this.settings.retryBaseMs)).toISOString();
          res.retrying++;
          // One failure per channel per run: the rest of its notices wait for the retry.
          down.add(row.channel_id);
        }
        await this.repo.saveOutbox([next]);
      }
      if (!progressed) break;
    }
    if (quiet) res.held = await this.repo.pendingCount();
    return res;
  }

  private overRate(ch: ResolvedChannel, now: number): boolean {
    if (ch.kind === 'email' || ch.kind === 'webhook') return false;
    const recent = (this.sentAt.get(ch.id) ?? []).filter((t) => t > now - 60_000);
    this.sentAt.set(ch.id, recent);
    return recent.length >= this.settings.imPerMinute;
  }

  /** One try on one channel. */
  async send(ch: ResolvedChannel, n: Notice, now = this.clock()): Promise<SendResult> {
    const t = this.settings.httpTimeoutMs;
    if (ch.kind !== 'email') this.sentAt.set(ch.id, [...(this.sentAt.get(ch.id) ?? []), now]);
    switch (ch.kind) {
      case 'wecom':
        return sendWecom(ch.target, n, t);
      case 'dingtalk':
        return sendDingtalk(ch.target, ch.secret, n, now, t);
      case 'feishu':
        return sendFeishu(ch.target, ch.secret, n, now, t);
      case 'webhook':
        return sendWebhook(ch.target, ch.secret, n, now, t);
      case 'email':
        return sendEmail(this.settings.smtp, ch.target.split(/[;,]\s*/).filter(Boolean), n, now);
    }
  }

  deliveries(f: { status?: string; region?: string; kind?: string; limit: number; offset: number }) {
    return this.repo.deliveries(f);
  }
}
