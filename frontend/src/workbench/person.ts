// The person page's view models: what changed between versions of the
// record, and one timeline of services, help requests and record changes. Pure.
import type { PersonHelpRequest, PersonService, PersonVersion } from './types';

export interface VersionField {
  key: keyof PersonVersion;
  label: string;
}

/** The fields a clerk reads, in ledger order (file, row and run say where a version came from). */
export const VERSION_FIELDS: readonly VersionField[] = [
  { key: 'countyCode', label: '县区代码' },
  { key: 'receivedDate', label: '接收日期' },
  { key: 'assignedDate', label: '分解日期' },
  { key: 'category', label: '帮扶类别' },
  { key: 'hardship', label: '困难类别' },
  { key: 'employmentStatus', label: '就业状态' },
  { key: 'employmentDate', label: '就业日期' },
  { key: 'school', label: '毕业院校' },
  { key: 'major', label: '专业' },
  { key: 'education', label: '学历' },
  { key: 'gender', label: '性别' },
  { key: 'cohort', label: '届别' },
  { key: 'source', label: '来源' },
  { key: 'graduationYear', label: '毕业年份' },
];

export function fieldText(v: PersonVersion, key: keyof PersonVersion): string {
  const x = v[key];
  if (Array.isArray(x)) return x.length ? x.join('、') : '—';
  if (x === null || x === undefined || x === '') return '—';
  return String(x);
}

export interface VersionChange {
  label: string;
  from: string;
  to: string;
}

export interface VersionRowView {
  index: number;
  version: PersonVersion;
  /** Empty for the first version (everything is new). */
  changes: VersionChange[];
  /** The keys that differ from the version before. */
  changed: Set<keyof PersonVersion>;
  /** A later load of the same content (same values as the version before). */
  unchanged: boolean;
}

/** Versions oldest first, each with what changed since the one before. */
export function diffVersions(versions: readonly PersonVersion[]): VersionRowView[] {
  return versions.map((v, i) => {
    const prev = i > 0 ? versions[i - 1] : undefined;
    const changes: VersionChange[] = [];
    const changed = new Set<keyof PersonVersion>();
    if (prev) {
      for (const f of VERSION_FIELDS) {
        const a = fieldText(prev, f.key);
        const b = fieldText(v, f.key);
        if (a !== b) {
          changes.push({ label: f.label, from: a, to: b });
          changed.add(f.key);
        }
      }
    }
    return { index: i + 1, version: v, changes, changed, unchanged: Boolean(prev) && changes.length === 0 };
  });
}

export type TimelineKind = 'service' | 'help' | 'version';

export interface TimelineItem {
  /** Sortable 'YYYY-MM-DD HH:MM:SS' (ledger times, Asia/Shanghai). */
  at: string;
  kind: TimelineKind;
  title: string;
  detail: string;
  /** Help requests: contacted within the SLA, late, or not at all. */
  tone: 'ok' | 'late' | 'open' | 'plain';
  id: string;
}

function ms(t: string): number {
  return Date.parse(`${t.replace(' ', 'T')}+08:00`);
}

/** How a help request stands: first contact within `slaHours`, later, or not yet. */
export function helpStatus(h: PersonHelpRequest, slaHours = 24): { tone: TimelineItem['tone']; text: string } {
  if (!h.firstContactAt) return { tone: 'open', text: '尚未联系' };
  const hours = (ms(h.firstContactAt) - ms(h.requestedAt)) / 3_600_000;
  if (!Number.isFinite(hours)) return { tone: 'plain', text: `首次联系 ${h.firstContactAt}` };
  const took = hours < 1 ? `${Math.round(hours * 60)} 分钟` : `${hours.toFixed(1)} 小时`;
  return hours <= slaHours ? { tone: 'ok', text: `${took}内联系` } : { tone: 'late', text: `超时联系（${took}后）` };
}

function firstDetail(v: PersonVersion): string {
  const parts = [`接收日期 ${v.receivedDate}`, v.countyCode ? `县区 ${v.countyCode}` : '待分解', v.category, v.employmentStatus].filter(Boolean);
  return parts.join(' · ');
}

/** Services, help requests and record changes on one timeline, newest first. */
export function buildTimeline(
  services: readonly PersonService[],
  help: readonly PersonHelpRequest[],
  versions: readonly PersonVersion[] = [],
  slaHours = 24,
): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const s of services) {
    const parts = [s.contactMethod, s.contactResult, s.staff && `服务人员 ${s.staff}`, s.note].filter(Boolean);
    if (s.versions > 1) parts.push(`已更正 ${s.versions - 1} 次`);
    items.push({ at: s.serviceTime, kind: 'service', title: s.serviceType, detail: parts.join(' · '), tone: 'plain', id: `s-${s.recordId}` });
  }
  for (const h of help) {
    const st = helpStatus(h, slaHours);
    items.push({ at: h.requestedAt, kind: 'help', title: '求助登记', detail: `编号 ${h.requestId} · ${st.text}`, tone: st.tone, id: `h-${h.requestId}` });
  }
  diffVersions(versions).forEach((v) => {
    const title = v.index === 1 ? '台账建档' : '台账更新';
    const detail = v.index === 1 ? firstDetail(v.version) : v.unchanged ? '内容未变（重复报送）' : v.changes.map((c) => `${c.label}：${c.from} → ${c.to}`).join('；');
    items.push({ at: v.version.updatedAt, kind: 'version', title, detail, tone: 'plain', id: `v-${v.index}` });
  });
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id.localeCompare(b.id)));
}

export const TIMELINE_LABEL: Record<TimelineKind, string> = { service: '服务', help: '求助', version: '台账' };
