// Hand-made ledger fixtures for the alert tests, each person and request placed
// on a rule's boundary (worked out in the comments). Names are full names in
// the files so the tests can check that only masked names come out.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { eventCsv, helpCsv, pid, serviceCsv, writeCsv, type EventRow, type HelpRow, type ServiceRow } from '../helpers/ledger-fixtures';

export interface Person {
  n: number;
  name: string;
  masked: string;
  received: string;
  county: string;
  assigned?: string;
  category?: string;
  hardship?: string;
  status?: string;
  updated: string;
  phone?: string;
}

/** A ledger CSV with 下发日期 and 联系电话 (the shared helper has neither). */
export function ledgerFile(dir: string, name: string, rows: Person[]): string {
  return writeCsv(
    dir,
    name,
    ['身份证号', '姓名', '联系电话', '毕业年份', '人员类别', '信息来源', '接收日期', '县区代码', '下发日期', '帮扶类别', '困难类别', '就业状态', '更新时间'],
    rows.map((r) => [pid(r.n), r.name, r.phone ?? `1380000${String(1000 + r.n).slice(-4)}`, 2022, '应届毕业生', '教育部门', r.received, r.county, r.assigned, r.category, r.hardship, r.status, r.updated]),
  );
}

export const P = {
  // not_contacted: distributed 07-01, never contacted → due 07-09 00:00 (day 8).
  p1: { n: 1, name: '张一丰', masked: '张*丰', received: '2022-07-01', county: '220102', assigned: '2022-07-01', category: '有就业意愿', status: '未就业', updated: '2022-07-01 08:00:00' },
  // 下发 07-05, a failed call on 07-06 (does not count), reached on 07-12 = day 7 → never overdue.
  p2: { n: 2, name: '李二明', masked: '李*明', received: '2022-07-01', county: '220102', assigned: '2022-07-05', category: '有就业意愿', status: '未就业', updated: '2022-07-01 08:00:00' },
  // No 下发日期: counted from 接收日期 07-01; first service 07-10 (day 9) → open on 07-09, resolved on 07-10.
  p3: { n: 3, name: '王三石', masked: '王*石', received: '2022-07-01', county: '220102', updated: '2022-07-01 08:00:00' },
  // Undistributed from 07-01 → not_distributed due 07-05 00:00; distributed to 220103 on 07-06 (second version below).
  p4: { n: 4, name: '赵四海', masked: '赵*海', received: '2022-07-01', county: '', updated: '2022-07-01 08:00:00' },
  // Received 07-28, undistributed: the 3-day deadline (08-01 00:00) is later than the end of 07-31 → open on 07-31.
  p5: { n: 5, name: '钱五月', masked: '钱*月', received: '2022-07-28', county: '', updated: '2022-07-28 09:00:00' },
  // Hardship, 一对一帮扶 on 07-08 (in time); last service 07-08 10:00 → no follow-up by 08-07 10:00 → open 08-07, 跟踪回访 08-20.
  p6: { n: 6, name: '孙六合', masked: '孙*合', received: '2022-07-01', county: '220104', assigned: '2022-07-01', category: '暂无就业意愿', hardship: '脱贫家庭', status: '未就业', updated: '2022-07-01 08:00:00' },
  // Hardship, 一对一帮扶 only on 07-20 → hardship_no_one_on_one open 07-09 … 07-19; its last service 07-20 → follow-up due 08-19 10:00.
  p7: { n: 7, name: '周七星', masked: '周*星', received: '2022-07-01', county: '220104', assigned: '2022-07-01', hardship: '残疾', status: '未就业', updated: '2022-07-01 08:00:00' },
  // Hardship but employed: 一对一帮扶 on 07-03, never followed up, never alerted for follow-up.
  p8: { n: 8, name: '吴八达', masked: '吴*达', received: '2022-07-01', county: '220104', assigned: '2022-07-01', hardship: '零就业家庭', status: '已就业', updated: '2022-07-01 08:00:00' },
  // Job-seeker contacted 07-01, 1311 complete on 08-20 (within 60 days) → never.
  p9: { n: 9, name: '郑九思', masked: '郑*思', received: '2022-07-01', county: '220105', assigned: '2022-07-01', category: '有就业意愿', status: '未就业', updated: '2022-07-01 08:00:00' },
  // Job-seeker contacted 07-01, never completes: day 60 = 08-30 no alert, day 61 = 08-31 alert.
  p10: { n: 10, name: '冯十全', masked: '冯*全', received: '2022-07-01', county: '220105', assigned: '2022-07-01', category: '有就业意愿', status: '未就业', updated: '2022-07-01 08:00:00' },
} satisfies Record<string, Person>;

export const P4_DISTRIBUTED: Person = { ...P.p4, county: '220103', assigned: '2022-07-06', updated: '2022-07-06 10:00:00' };

export const SERVICES: ServiceRow[] = [
  { rid: 'S2a', id: pid(2), time: '2022-07-06 09:00', type: '联系', result: '未联系上', county: '220102' },
  { rid: 'S2b', id: pid(2), time: '2022-07-12 10:00', type: '联系', result: '已联系', county: '220102' },
  { rid: 'S3', id: pid(3), time: '2022-07-10 15:00', type: '职业指导', county: '220102' },
  { rid: 'S4', id: pid(4), time: '2022-07-25 09:00', type: '联系', result: '已联系', county: '220103' },
  { rid: 'S6a', id: pid(6), time: '2022-07-02 10:00', type: '联系', result: '已联系', county: '220104' },
  { rid: 'S6b', id: pid(6), time: '2022-07-08 10:00', type: '一对一帮扶', county: '220104' },
  { rid: 'S6c', id: pid(6), time: '2022-08-20 10:00', type: '跟踪回访', county: '220104' },
  { rid: 'S7a', id: pid(7), time: '2022-07-02 10:00', type: '联系', result: '已联系', county: '220104' },
  { rid: 'S7b', id: pid(7), time: '2022-07-20 10:00', type: '一对一帮扶', county: '220104' },
  { rid: 'S8a', id: pid(8), time: '2022-07-03 10:00', type: '一对一帮扶', county: '220104' },
  { rid: 'S9a', id: pid(9), time: '2022-07-01 10:00', type: '联系', result: '已联系', county: '220105' },
  { rid: 'S9b', id: pid(9), time: '2022-07-05 10:00', type: '职业指导', county: '220105' },
  { rid: 'S9c', id: pid(9), time: '2022-07-06 10:00', type: '岗位推介', county: '220105' },
  { rid: 'S9d', id: pid(9), time: '2022-07-07 10:00', type: '岗位推介', county: '220105' },
  { rid: 'S9e', id: pid(9), time: '2022-07-08 10:00', type: '岗位推介', county: '220105' },
  { rid: 'S9f', id: pid(9), time: '2022-07-10 10:00', type: '技能培训', county: '220105' },
  { rid: 'S9g', id: pid(9), time: '2022-08-20 10:00', type: '就业见习', county: '220105' },
  { rid: 'S10a', id: pid(10), time: '2022-07-01 10:00', type: '联系', result: '已联系', county: '220105' },
];

// All for 张一丰 (P1) in 220102; the requests carry no name, so the ledger's masked name is shown.
export const HELP: HelpRow[] = [
  // Contacted 23:59 after the request → never overdue.
  { hid: 'H1', id: pid(1), at: '2022-07-10 23:59:00', county: '220102', contact: '2022-07-11 23:58:00' },
  // Contacted 24:01 after: overdue at the end of 07-11 (no contact yet), resolved when the contact is recorded (07-12).
  { hid: 'H2', id: pid(1), at: '2022-07-10 23:59:00', county: '220102', contact: '2022-07-12 00:00:00' },
  // Waiting 23:59 at the end of 07-11 → not yet; overdue from 07-12.
  { hid: 'H3', id: pid(1), at: '2022-07-11 00:00:59', county: '220102' },
  // Waiting 24:01 at the end of 07-11 → overdue.
  { hid: 'H4', id: pid(1), at: '2022-07-10 23:58:59', county: '220102' },
];

// 长春 (220100): W27 has a 专业性 event (held on 南关区, it counts for 长春), W28 (07-11 … 07-17) none, W29 one on 07-20;
// July has a 综合性 event, August none.
export const EVENTS: EventRow[] = [
  { eid: 'E1', region: '220102', type: '专业性', date: '2022-07-06' },
  { eid: 'E2', region: '220100', type: '综合性', date: '2022-07-15' },
  { eid: 'E3', region: '220100', type: '专业性', date: '2022-07-20' },
];

export function writeFixtures(): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alerts-fixtures-'));
  const files = [
    ledgerFile(dir, 'ledger1.csv', Object.values(P)),
    ledgerFile(dir, 'ledger2.csv', [P4_DISTRIBUTED]),
    serviceCsv(dir, 'services.csv', SERVICES),
    helpCsv(dir, 'help.csv', HELP),
    eventCsv(dir, 'events.csv', EVENTS),
  ];
  return { dir, files };
}

/** Everything personal the fixtures hold in clear: none of it may leave the app in a notice or a list. */
export function personalData(people: Person[] = Object.values(P)): string[] {
  return people.flatMap((p) => {
    const phone = p.phone ?? `1380000${String(1000 + p.n).slice(-4)}`;
    return [p.name, pid(p.n), `${pid(p.n).slice(0, 6)}********${pid(p.n).slice(-4)}`, phone, `${phone.slice(0, 3)}****${phone.slice(-4)}`];
  });
}
