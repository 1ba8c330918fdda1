import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import { REGION_BY_CODE, UNITS } from '../regions/regions.data';
import { addDays, isValidDay, MetricsService, todayShanghai } from './metrics.service';
import { compliance, isoWeekStart, type MonthRow, type WeekRow, type EventLite } from './recruitment.logic';

export interface RecruitmentCompliance {
  unitCode: string;
  name: string;
  from: string;
  to: string;
  /** Periods are judged as of this day (the end of the range, or today if earlier). */
  judgedAsOf: string;
  weeks: WeekRow[];
  months: MonthRow[];
  weeksMissed: number;
  monthsMissed: number;
}

@Injectable()
export class RecruitmentRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  async events(units: string[], from: string, to: string): Promise<EventLite[]> {
    const rs = await this.ch.client.query({ query: loadQuery('recruitment_events'), query_params: { units, from, to }, format: 'JSONEachRow' });
    return rs.json<EventLite>();
  }
}

@Injectable()
export class RecruitmentService {
  constructor(
    private readonly repo: RecruitmentRepository,
    private readonly metrics: MetricsService,
  ) {}

  async compliance(unitCode: string, fromQ?: string, toQ?: string): Promise<RecruitmentCompliance> {
    const unit = REGION_BY_CODE.get(unitCode);
    if (!unit) throw new BadRequestException(`未知地区代码 ${unitCode} / unknown region code`);
    if (unit.level !== 'unit') throw new BadRequestException(`招聘活动按市级单位统计，${unitCode} 不是市级单位 / recruitment compliance is per reporting unit`);
    const cfg = this.metrics.config();
    for (const [n, v] of [['from', fromQ], ['to', toQ]] as const) {
      if (v !== undefined && !isValidDay(v)) throw new BadRequestException(`${n} 日期格式错误：“${v}”，应为 YYYY-MM-DD / ${n} must be YYYY-MM-DD`);
    }
    const from = fromQ ?? cfg.start;
    const to = toQ ?? cfg.end;
    if (from > to) throw new BadRequestException(`from (${from}) 晚于 to (${to}) / from is after to`);
    if (Date.parse(to) - Date.parse(from) > 400 * 86_400_000) throw new BadRequestException('时间范围不能超过400天 / range longer than 400 days');
    const today = todayShanghai();
    const judgedAsOf = to < today ? to : today;
    const events = await this.repo.events([unitCode], isoWeekStart(from), addDays(to, 7));
    const { weeks, months } = compliance(events, from, to, judgedAsOf);
    return {
      unitCode, name: unit.name, from, to, judgedAsOf, weeks, months,
      weeksMissed: weeks.filter((w) => w.missed).length,
      monthsMissed: months.filter((m) => m.missed).length,
    };
  }

  /** Compliance of all 11 units (screen and reports). */
  async all(from?: string, to?: string): Promise<RecruitmentCompliance[]> {
    return Promise.all(UNITS.map((u) => this.compliance(u.code, from, to)));
  }
}
