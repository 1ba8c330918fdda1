// The case list and the person page: who in a county is not yet served and why.
import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Scope } from '../auth/scope';
import { AuthService } from '../auth/auth.service';
import { REGION_BY_CODE } from '../regions/regions.data';
import { HomeService } from '../home/home.service';
import { CareMetricsService } from '../care/care.metrics.service';
import { MetricsService } from '../metrics/metrics.service';
import { PII_CODEC } from '../security/pii.provider';
import type { PiiCodec } from '../security/pii';
import { CasesRepository, type CaseFilter, type CaseRow } from './cases.repository';
import type { CaseQueryDto } from './cases.dto';
import type { CasePage } from './cases.types';

export type { CaseItem, CasePage } from './cases.types';

function reasonsOf(r: CaseRow, intent: string): string[] {
  const out: string[] = [];
  if (!r.contacted) out.push('未联系');
  if (r.category === intent && !r.complete1311) out.push(`1311未完成：缺${r.missing1311.join('、')}`);
  if (r.hardship.length && !r.one_on_one) out.push('困难毕业生未一对一帮扶');
  if (r.help_overdue > 0) out.push(`求助超时未联系 ${r.help_overdue} 件`);
  return out;
}

@Injectable()
export class CasesService {
  constructor(
    private readonly repo: CasesRepository,
    private readonly metrics: MetricsService,
    private readonly home: HomeService,
    private readonly auth: AuthService,
    private readonly care: CareMetricsService,
    @Inject(PII_CODEC) private readonly codec: PiiCodec,
  ) {}

  private async day(asOf?: string): Promise<string> {
    if (asOf) return this.metrics.checkDay(asOf);
    return (await this.metrics.currentDay()).day;
  }

  private county(code: string, scope: Scope): string {
    const r = REGION_BY_CODE.get(code);
    const isCounty = r && (r.level === 'county' || r.code === '220581');
    if (!isCounty) throw new BadRequestException(`${code} 不是县级单位 / the case list is per county-level unit`);
    scope.assertCanSee(code);
    return code;
  }

  async list(q: CaseQueryDto, scope: Scope): Promise<CasePage> {
    const county = this.county(q.county, scope);
    const asOf = await this.day(q.asOf);
    const cfg = this.metrics.config();
    const yn = (v?: 'yes' | 'no'): -1 | 0 | 1 => (v === 'yes' ? 1 : v === 'no' ? 0 : -1);
    const f: CaseFilter = {
      category: q.category ?? '', contacted: yn(q.contacted), complete1311: yn(q.complete1311), missing: q.missing ?? '',
      hardship: yn(q.hardship), noOneOnOne: q.noOneOnOne ? 1 : 0, employment: q.employment ?? '', overdue: q.overdue ? 1 : 0, todo: q.todo ?? '',
      sort: q.sort ?? 'received', desc: q.order === 'desc', limit: q.limit ?? 50, offset: q.offset ?? 0,
      noPlan: q.noPlan ? 1 : 0, visitOverdue: q.visitOverdue ? 1 : 0,
    };
    // 回访逾期 reads the kept care state: bring it up to the loaded data first.
    if (f.visitOverdue) await this.care.ensure();
    // Scope is applied inside the query too: only counties the caller may see are read.
    const counties = [county].filter((c) => scope.counties.has(c));
    const rows = await this.repo.list(asOf, counties, f, cfg, this.home.todoParams());
    return {
      county, countyName: REGION_BY_CODE.get(county)?.name ?? county, asOf, total: Number(rows[0]?.total ?? 0), limit: f.limit, offset: f.offset,
      rows: rows.map((r) => ({
        personKey: r.person_key, name: r.name_masked, idNumber: r.id_masked, phone: r.phone_masked, countyCode: r.county_code,
        receivedDate: r.received_date, assignedDate: r.assigned_date, category: r.category, hardship: r.hardship,
        employmentStatus: r.employment_status, contacted: Boolean(r.contacted),
        services: { guidance: Number(r.guidance), referral: Number(r.referral), training: Number(r.training), internship: Number(r.internship), oneOnOne: Number(r.one_on_one) },
        complete1311: Boolean(r.complete1311), missing1311: r.category === cfg.intentCategory ? r.missing1311 : [],
        helpOverdue: Number(r.help_overdue), lastService: r.last_service, updatedAt: r.updated_at, reasons: reasonsOf(r, cfg.intentCategory),
      })),
    };
  }

  /** The county of a person the caller may see; 404 / 403 otherwise. */
  async inScope(key: string, scope: Scope): Promise<string> {
    const county = await this.repo.currentCounty(key);
    if (county === null) throw new NotFoundException('人员不存在 / no such person');
    // Persons not yet distributed belong to the province only.
    if (county === '' ? !scope.all : !scope.counties.has(county)) throw new ForbiddenException('该人员不在您的管辖范围内 / person outside your scope');
    return county;
  }

  async person(key: string, scope: Scope) {
    const county = await this.inScope(key, scope);
    const [versions, services, helpRequests] = await Promise.all([this.repo.versions(key), this.repo.services(key), this.repo.helpRequests(key)]);
    const current = versions[versions.length - 1]!;
    return {
      personKey: key, countyCode: county, countyName: REGION_BY_CODE.get(county)?.name ?? '未分解',
      name: current.name_masked, idNumber: current.id_masked, phone: current.phone_masked,
      versions: versions.map((v) => ({
        updatedAt: v.updated_at, countyCode: v.county_code, receivedDate: v.received_date, assignedDate: v.assigned_date, category: v.category,
        hardship: v.hardship, employmentStatus: v.employment_status, employmentDate: v.employment_date, school: v.school, major: v.major,
        education: v.education, gender: v.gender, cohort: v.cohort, source: v.source, graduationYear: Number(v.graduation_year),
        file: v.file, row: Number(v.row), runId: Number(v.run_id),
      })),
      services: services.map((s) => ({
        recordId: s.record_id, serviceTime: s.service_time, serviceType: s.service_type, contactMethod: s.contact_method,
        contactResult: s.contact_result, countyCode: s.county_code, staff: s.staff, note: s.note, versions: Number(s.versions),
      })),
      helpRequests: helpRequests.map((h) => ({ requestId: h.request_id, requestedAt: h.requested_at, countyCode: h.county_code, firstContactAt: h.first_contact_at })),
    };
  }

  /** One person's full record, for a county or unit user inside their scope; always audit-logged. */
  async reveal(key: string, scope: Scope, ip: string): Promise<{ idNumber: string; name: string; phone: string }> {
    await this.inScope(key, scope);
    const s = await this.repo.secrets(key);
    if (!s) throw new NotFoundException('人员不存在 / no such person');
    await this.auth.audit(scope.principal, ip, 'reveal', key, 'full record of one person');
    return { idNumber: this.codec.decrypt(s.id_enc), name: this.codec.decrypt(s.name_enc), phone: this.codec.decrypt(s.phone_enc) };
  }
}
