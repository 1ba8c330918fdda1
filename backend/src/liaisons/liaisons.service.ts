import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import type { Principal, Scope } from '../auth/scope';
import { REGION_BY_CODE } from '../regions/regions.data';
import type { LiaisonDto } from './liaisons.dto';
import { LiaisonsRepository, type LiaisonRow } from './liaisons.repository';

export interface Liaison {
  regionCode: string;
  regionName: string;
  name: string;
  title: string;
  phone: string;
  mobile: string;
  email: string;
  wecomWebhook: string;
  dingtalkWebhook: string;
  /** Never sent back: only whether one is set. */
  dingtalkSecretSet: boolean;
  feishuWebhook: string;
  genericWebhook: string;
}

/** The liaison directory (附件3): kept by admins, read by reports and as the alerts' default recipients. */
@Injectable()
export class LiaisonsService {
  constructor(
    private readonly repo: LiaisonsRepository,
    private readonly auth: AuthService,
  ) {}

  /** Rows with secrets, for the notification senders only. */
  rows(): Promise<LiaisonRow[]> {
    return this.repo.list();
  }

  async list(scope?: Scope): Promise<Liaison[]> {
    const params = scope && !scope.all ? { scopeAll: 0, scopeRegions: scope.visibleRegions().map((r) => r.code) } : undefined;
    return (await this.repo.list(params)).map(toLiaison);
  }

  async upsert(dto: LiaisonDto, by: Principal, ip: string): Promise<Liaison> {
    if (!REGION_BY_CODE.has(dto.regionCode)) throw new BadRequestException(`未知地区代码 ${dto.regionCode} / unknown region code`);
    const existing = (await this.repo.list()).find((r) => r.region_code === dto.regionCode);
    const row: LiaisonRow = {
      region_code: dto.regionCode, name: dto.name, title: dto.title ?? '', phone: dto.phone ?? '', mobile: dto.mobile ?? '', email: dto.email ?? '',
      wecom_webhook: dto.wecomWebhook ?? '', dingtalk_webhook: dto.dingtalkWebhook ?? '',
      // An omitted secret keeps the stored one (the UI never receives it back).
      dingtalk_secret: dto.dingtalkSecret ?? existing?.dingtalk_secret ?? '',
      feishu_webhook: dto.feishuWebhook ?? '', generic_webhook: dto.genericWebhook ?? '', updated_by: by.username, deleted: false,
    };
    await this.repo.save(row);
    await this.auth.audit(by, ip, 'liaison.update', dto.regionCode, `name=${dto.name}`);
    return toLiaison(row);
  }

  async remove(regionCode: string, by: Principal, ip: string): Promise<void> {
    const existing = (await this.repo.list()).find((r) => r.region_code === regionCode);
    if (!existing) throw new NotFoundException(`${regionCode} 没有联络员记录 / no liaison for this region`);
    await this.repo.save({ ...existing, deleted: true, updated_by: by.username });
    await this.auth.audit(by, ip, 'liaison.delete', regionCode, '');
  }
}

function toLiaison(r: LiaisonRow): Liaison {
  return {
    regionCode: r.region_code, regionName: REGION_BY_CODE.get(r.region_code)?.name ?? r.region_code, name: r.name, title: r.title,
    phone: r.phone, mobile: r.mobile, email: r.email, wecomWebhook: r.wecom_webhook, dingtalkWebhook: r.dingtalk_webhook,
    dingtalkSecretSet: r.dingtalk_secret !== '', feishuWebhook: r.feishu_webhook, genericWebhook: r.generic_webhook,
  };
}
