// The records of the workbench's measure sections: which region codes a
// caller may see under a region, paging, and what an export holds.
import { BadRequestException, Injectable } from '@nestjs/common';
import type { Scope } from '../auth/scope';
import { MetricsService } from '../metrics/metrics.service';
import { REGION_BY_CODE, UNITS, countiesUnder } from '../regions/regions.data';
import { MeasuresRecordsRepository } from './measures.records.repository';
import { RECORD_KINDS, type MeasureRecordKind, type MeasureRecordPage } from './measures.records.types';

export const MAX_PAGE = 500;
export const MAX_EXPORT = 20_000;

@Injectable()
export class MeasuresService {
  constructor(private readonly repo: MeasuresRecordsRepository, private readonly metrics: MetricsService) {}

  kind(k: string | undefined): MeasureRecordKind {
    if (!k || !(RECORD_KINDS as readonly string[]).includes(k)) {
      throw new BadRequestException(`kind 应为 ${RECORD_KINDS.join('、')} 之一 / kind must be one of ${RECORD_KINDS.join(', ')}`);
    }
    return k as MeasureRecordKind;
  }

  /**
   * The codes a region's records carry, within the caller's scope: its
   * county-level units, and for posts also the reporting units' own codes
   * (a unit's post counts at the unit and the province, in no county).
   */
  codesFor(code: string, kind: MeasureRecordKind, scope: Scope): string[] {
    const r = REGION_BY_CODE.get(code)!;
    const counties = countiesUnder(code).filter((c) => scope.all || scope.counties.has(c));
    if (kind !== 'post' || r.level === 'county') return counties;
    const units = r.level === 'unit' ? [r.code] : UNITS.map((u) => u.code).filter((u) => scope.canSee(u));
    return [...new Set([...counties, ...units])];
  }

  async page(code: string, kindQ: string | undefined, asOfQ: string | undefined, scope: Scope, limit = 50, offset = 0): Promise<MeasureRecordPage> {
    this.metrics.region(code);
    scope.assertCanSee(code);
    const kind = this.kind(kindQ);
    const asOf = await this.metrics.checkDay(asOfQ);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new BadRequestException(`limit 应为 1–${MAX_PAGE} / limit must be 1–${MAX_PAGE}`);
    if (!Number.isInteger(offset) || offset < 0) throw new BadRequestException('offset 应为不小于 0 的整数 / offset must be ≥ 0');
    const { total, rows } = await this.repo.page(kind, this.codesFor(code, kind, scope), asOf, limit, offset);
    return { kind, region: code, asOf, total, rows };
  }
}
