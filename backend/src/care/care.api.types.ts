// What the care API answers (person plan panel, rights cases, 亮相 checklist),
// shared by backend and frontend. Pure types.

export interface RightsCaseRow {
  caseId: string;
  region: string;
  unit: string;
  caseType: string;
  party: string;
  partyKind: string;
  opened: string;
  action: string;
  deadline: string | null;
  closed: string | null;
  graduates: number;
  open: boolean;
  overdue: boolean;
  /** Days past 纠正期限 as of the day (0 when not past). */
  daysOverdue: number;
}

export interface RightsCasesResponse {
  region: string;
  asOf: string;
  total: number;
  open: number;
  overdue: number;
  byType: Record<string, number>;
  rows: Array<RightsCaseRow & { regionName: string }>;
}

export interface ChecklistCell {
  /** The entry's items (any one will do), e.g. ['公开信', '服务公告']. */
  items: string[];
  /** First publication carrying it: day, link, channel, publishing region; null = not yet. */
  done: { day: string; url: string; channel: string; region: string; regionName: string } | null;
  late: boolean;
}

export interface ChecklistUnit {
  unit: string;
  name: string;
  cells: ChecklistCell[];
  complete: string | null;
  onTime: boolean;
}

export interface ChecklistResponse {
  asOf: string;
  deadline: string;
  units: ChecklistUnit[];
}

export interface PersonPlanPanel {
  /** The plan in force as of the day (greatest 制定日期 ≤ day, ties: greatest 计划编号), or null. */
  current: {
    planId: string;
    specialist: string;
    planDate: string;
    measures: string[];
    visitDays: number;
    visitDaysDefaulted: boolean;
    status: string;
  } | null;
  plans: Array<{ planId: string; specialist: string; planDate: string; measures: string[]; visitDays: number | null; status: string }>;
  visits: Array<{ recordId: string; day: string; staff: string; county: string; method: string }>;
  lastVisit: string | null;
  /** Next visit due (last visit or plan date + 回访周期), and how many days overdue as of the day (0 = not). */
  nextDue: string | null;
  overdueDays: number;
  asOf: string;
}

/** The wall's 困难帮扶与权益保障 scene (part of GET /api/screen/:code). */
export interface ScreenCare {
  /** Units (province wall) or counties (unit wall): plan coverage and overdue visits. */
  rows: Array<{ code: string; name: string; hardship: number; withPlan: number; planRate: number | null; visitOverdue: number }>;
  totals: { hardship: number; withPlan: number; planRate: number | null; visited: number; visitOverdue: number };
  rights: { total: number; open: number; overdue: number; graduates: number; byType: Record<string, number> };
  checklist: {
    deadline: string;
    /** Column heads, one per checklist entry. */
    items: string[];
    units: Array<{ code: string; name: string; cells: Array<'ok' | 'late' | 'missing'>; complete: string | null; onTime: boolean }>;
  };
  /** Recruitment events held by 专项活动 ("10+N"), and 典型 stories published. */
  campaigns: Record<string, number>;
  stories: number;
}
