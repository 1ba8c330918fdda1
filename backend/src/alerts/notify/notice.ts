// What a notice says, pure: alerts grouped per recipient and rule, escalations,
// the daily digest and dispatch orders, rendered as Markdown or plain text.
// A notice never carries personal data beyond a masked name: it is built from
// alert rows (masked names, region names, counts) and never from the ledger.
import { REGION_BY_CODE, PROVINCE_CODE } from '../../regions/regions.data';
import { LEVEL_LABELS, PERSON_RULES, RULE_LABELS, SEVERITY_LABELS, SEVERITIES, type Level, type RuleKey, type Severity } from '../alerts.rules';

export type NoticeKind = 'alerts' | 'escalation' | 'digest' | 'dispatch';

export interface Notice {
  kind: NoticeKind;
  /** The recipient region: only what lies inside it is in the notice. */
  regionCode: string;
  regionName: string;
  rule: string;
  severity: Severity | '';
  title: string;
  lines: string[];
  link: string;
  /** How many alerts (or orders) the notice covers. */
  count: number;
}

/** The part of an alert a notice may use. */
export interface NoticeAlert {
  rule: string;
  county_code: string;
  unit_code: string;
  owner_code: string;
  severity: string;
  title: string;
  name_masked: string;
}

export function regionName(code: string): string {
  return REGION_BY_CODE.get(code)?.name ?? code;
}

/** Who is told at a level: the county, its unit, or the province. */
export function recipientAt(a: Pick<NoticeAlert, 'county_code' | 'unit_code' | 'owner_code'>, level: Level): string {
  if (level === 'province') return PROVINCE_CODE;
  if (level === 'unit') return a.unit_code || a.owner_code;
  return a.county_code || a.owner_code;
}

export function alertsLink(publicUrl: string, q: Record<string, string>): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `${base}/alerts?${new URLSearchParams(q).toString()}`;
}

const SEV_RANK: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };

function topSeverity(items: Array<{ severity: string }>): Severity {
  let best: Severity = 'low';
  for (const i of items) if ((SEV_RANK[i.severity] ?? 0) > SEV_RANK[best]!) best = i.severity as Severity;
  return best;
}

function namesLine(items: NoticeAlert[], max: number, rule: string): string | null {
  const names = items.map((i) => i.name_masked).filter((n) => n !== '');
  if (!names.length) return null;
  const shown = names.slice(0, max).join('、');
  const who = rule === 'help_request_overdue' ? '求助人' : '人员';
  return `涉及${who}：${shown}${items.length > max ? ` 等 ${items.length} 人` : ''}`;
}

function countsByPlace(items: NoticeAlert[], key: 'county_code' | 'unit_code'): string {
  const m = new Map<string, number>();
  for (const i of items) {
    const k = i[key] || i.owner_code;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c, n]) => `${regionName(c)} ${n} 条`).join('、');
}

/** New (or re-opened) alerts of one rule for one recipient: one notice with counts, masked names and a link. */
export function openedNotice(recipient: string, rule: RuleKey, items: NoticeAlert[], openTotal: number, publicUrl: string, maxNames = 5): Notice {
  const sev = topSeverity(items);
  const lines: string[] = [`本次新增 ${items.length} 条，当前未处理共 ${Math.max(openTotal, items.length)} 条`];
  if (PERSON_RULES.has(rule)) {
    const n = namesLine(items, maxNames, rule);
    if (n) lines.push(n);
    if (REGION_BY_CODE.get(recipient)?.level !== 'county') lines.push(`分布：${countsByPlace(items, 'county_code')}`);
  } else {
    for (const i of items.slice(0, 10)) lines.push(i.title);
    if (items.length > 10) lines.push(`…… 另有 ${items.length - 10} 条`);
  }
  lines.push('台账显示已办理后预警自动解除；请在预警中心确认处理。');
  return {
    kind: 'alerts', regionCode: recipient, regionName: regionName(recipient), rule, severity: sev,
    title: `【${SEVERITY_LABELS[sev]}】${regionName(recipient)}·${RULE_LABELS[rule]}：新增 ${items.length} 条`,
    lines, link: alertsLink(publicUrl, { rule, region: recipient }), count: items.length,
  };
}

/** Alerts of one rule that climbed to a recipient's level. */
export function escalationNotice(recipient: string, level: Level, rule: RuleKey, items: NoticeAlert[], publicUrl: string, maxNames = 5): Notice {
  const sev = topSeverity(items);
  const lines: string[] = [`${items.length} 条预警超过处理时限仍未解除，已升级至${LEVEL_LABELS[level]}`];
  lines.push(`分布：${countsByPlace(items, level === 'province' ? 'unit_code' : 'county_code')}`);
  if (PERSON_RULES.has(rule)) {
    const n = namesLine(items, maxNames, rule);
    if (n) lines.push(n);
  } else {
    for (const i of items.slice(0, 10)) lines.push(i.title);
    if (items.length > 10) lines.push(`…… 另有 ${items.length - 10} 条`);
  }
  lines.push('请督促相关地区尽快办理，可在预警中心下达督办。');
  return {
    kind: 'escalation', regionCode: recipient, regionName: regionName(recipient), rule, severity: sev,
    title: `【升级·${LEVEL_LABELS[level]}】${regionName(recipient)}·${RULE_LABELS[rule]}：${items.length} 条逾期未处理`,
    lines, link: alertsLink(publicUrl, { rule, region: recipient, level }), count: items.length,
  };
}

export interface DigestInput {
  recipient: string;
  day: string;
  bySeverity: Partial<Record<Severity, number>>;
  byRule: Partial<Record<RuleKey, number>>;
  new24h: number;
  atThisLevel: number;
  overdueOrders: number;
}

/** The daily summary of what is open inside a recipient's region. */
export function digestNotice(d: DigestInput, publicUrl: string): Notice {
  const total = Object.values(d.bySeverity).reduce((s, n) => s + (n ?? 0), 0);
  const sevs = [...SEVERITIES].reverse().filter((s) => d.bySeverity[s]).map((s) => `${SEVERITY_LABELS[s]} ${d.bySeverity[s]}`);
  const lines = [`未处理预警 ${total} 条${sevs.length ? `（${sevs.join(' · ')}）` : ''}`, `近24小时新增 ${d.new24h} 条`];
  if (d.atThisLevel) lines.push(`已升级至本级 ${d.atThisLevel} 条`);
  for (const [rule, n] of Object.entries(d.byRule).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))) {
    if (n) lines.push(`${RULE_LABELS[rule as RuleKey]} ${n} 条`);
  }
  if (d.overdueOrders) lines.push(`逾期未办结督办 ${d.overdueOrders} 件`);
  const sev: Severity | '' = ([...SEVERITIES].reverse().find((s) => d.bySeverity[s]) ?? '') as Severity | '';
  return {
    kind: 'digest', regionCode: d.recipient, regionName: regionName(d.recipient), rule: '', severity: sev,
    title: `【每日预警汇总】${regionName(d.recipient)} ${d.day}`, lines, link: alertsLink(publicUrl, { region: d.recipient }), count: total,
  };
}

export interface DispatchNoticeInput {
  orderId: string;
  event: 'created' | 'replied' | 'overdue';
  countyCode: string;
  issuerRegion: string;
  dueDate: string;
  status: string;
  /** What the order is about: rule or metric labels (never the order's free text). */
  subject: string;
  level?: Level;
}

export const DISPATCH_STATUS_LABELS: Record<string, string> = { issued: '已下达', in_progress: '办理中', done: '已办结' };

/**
 * A dispatch order (督办) to its county, a reply to its issuer, or an overdue
 * order to the level it climbed to. The order's title, content and replies are
 * typed by people and may name someone, so they stay in the app: the notice
 * says what the order is about, by when, and links to it.
 */
export function dispatchNotice(recipient: string, d: DispatchNoticeInput, publicUrl: string): Notice {
  const county = regionName(d.countyCode);
  const about = d.subject || '督办事项';
  const lines: string[] = [];
  let head: string;
  switch (d.event) {
    case 'created':
      head = `【督办】${county}：${about}`;
      lines.push(`督办编号：${d.orderId}`, `下达单位：${regionName(d.issuerRegion)}`, `办结时限：${d.dueDate}`, '请在预警中心“督办”中查看要求并回复办理情况。');
      break;
    case 'replied':
      head = `【督办回复】${county}：${about}`;
      lines.push(`督办编号：${d.orderId}`, `办理状态：${DISPATCH_STATUS_LABELS[d.status] ?? d.status}`, `办结时限：${d.dueDate}`);
      break;
    case 'overdue':
      head = `【督办逾期·${LEVEL_LABELS[d.level ?? 'unit']}】${county}：${about}`;
      lines.push(`督办编号：${d.orderId}`, `办结时限 ${d.dueDate} 已过，当前状态：${DISPATCH_STATUS_LABELS[d.status] ?? d.status}`, '请督促尽快办结。');
      break;
  }
  return {
    kind: 'dispatch', regionCode: recipient, regionName: regionName(recipient), rule: '', severity: d.event === 'overdue' ? 'high' : '',
    title: head, lines, link: alertsLink(publicUrl, { tab: 'dispatch', order: d.orderId }), count: 1,
  };
}

/** Markdown (WeCom, DingTalk). */
export function noticeMarkdown(n: Notice, maxBytes = 3800): string {
  const head = `### ${n.title}\n\n`;
  const tail = `\n\n[在预警中心查看](${n.link})`;
  let body = '';
  for (const l of n.lines) {
    const next = `${body}- ${l}\n`;
    if (Buffer.byteLength(head + next + tail) > maxBytes) {
      body += '- ……\n';
      break;
    }
    body = next;
  }
  return head + body.trimEnd() + tail;
}

/** Plain text (Feishu text messages, e-mail). */
export function noticeText(n: Notice, maxBytes = 3800): string {
  const tail = `\n查看：${n.link}`;
  let out = `${n.title}\n`;
  for (const l of n.lines) {
    const next = `${out}· ${l}\n`;
    if (Buffer.byteLength(next + tail) > maxBytes) {
      out += '· ……\n';
      break;
    }
    out = next;
  }
  return out.trimEnd() + tail;
}

/** A webhook URL for logs: scheme, host and path head, tokens hidden. */
export function maskTarget(target: string): string {
  if (!/^https?:\/\//i.test(target)) {
    const at = target.indexOf('@');
    return at > 1 ? `${target[0]}***${target.slice(at)}` : target;
  }
  try {
    const u = new URL(target);
    const parts = u.pathname.split('/');
    if (parts.length > 2 && parts[parts.length - 1]!.length > 8) parts[parts.length - 1] = '***';
    const q = [...u.searchParams.keys()].map((k) => `${k}=***`).join('&');
    return `${u.protocol}//${u.host}${parts.join('/')}${q ? `?${q}` : ''}`;
  } catch {
    return '***';
  }
}
