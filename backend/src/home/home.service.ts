// The home page's rules: which counties a caller's to-do covers, what each
// to-do means, and the admin's first-start checklist ticked from real state.
import { Inject, Injectable } from '@nestjs/common';
import { loadAlertsConfig } from '../alerts/alerts.rules';
import type { Scope } from '../auth/scope';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MetricsService } from '../metrics/metrics.service';
import type { CampaignDay } from '../metrics/metrics.types';
import { countiesUnder, REGION_BY_CODE } from '../regions/regions.data';
import { HomeRepository, type TodoParams } from './home.repository';
import type { HomeTodo, SetupChecklist, SetupStep, TodoCounty, TodoItem, TodoKind } from './home.types';

const LABELS: Record<TodoKind, (p: HomeTodo['params']) => { label: string; hint: string }> = {
  help_due: (p) => ({ label: '今日到期求助', hint: `求助登记后 ${p.slaHours} 小时的联系时限在今天届满、截至今日仍未联系的求助` }),
  no_contact: (p) => ({ label: '下发超期未联系', hint: `下发（接收）后 ${p.contactDays} 天内仍无联系记录的人员` }),
  visit_due: (p) => ({ label: '困难毕业生回访到期', hint: `未就业的困难毕业生：有帮扶计划的按计划回访周期（距上次跟踪回访），无计划的距上次服务已满 ${p.followupDays} 天（今日到期或已超期）` }),
  dispatch_awaiting: () => ({ label: '督办待回复', hint: '已下达、县级尚未回复的督办单' }),
};

@Injectable()
export class HomeService {
  constructor(
    private readonly repo: HomeRepository,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  campaign(): Promise<CampaignDay> {
    return this.metrics.currentDay();
  }

  /** The rule parameters the to-do lists share with the alert rules and the metrics (one configuration). */
  todoParams(): TodoParams {
    const campaign = this.metrics.config();
    const rules = loadAlertsConfig(campaign.year).rules;
    return { slaMinutes: Math.round(campaign.helpSlaHours * 60), ncDays: rules.not_contacted.params.days, fuDays: rules.hardship_no_followup.params.days };
  }

  async todo(regionCode: string | undefined, asOfIn: string | undefined, scope: Scope): Promise<HomeTodo> {
    const region = regionCode ?? scope.principal.regionCode;
    const r = this.metrics.region(region);
    scope.assertCanSee(region);
    const asOf = asOfIn ? await this.metrics.checkDay(asOfIn) : (await this.metrics.currentDay()).day;
    // Scope is applied again here: only counties the caller may see are read.
    const counties = countiesUnder(region).filter((c) => scope.counties.has(c));
    const p = this.todoParams();
    const [rows, orders] = await Promise.all([
      this.repo.todoCounts(asOf, counties, this.metrics.config(), p),
      this.repo.dispatchAwaiting(counties),
    ]);
    const params = { contactDays: p.ncDays, followupDays: p.fuDays, slaHours: p.slaMinutes / 60 };
    const name = (c: string): string => REGION_BY_CODE.get(c)?.name ?? c;
    const items: TodoItem[] = (['help_due', 'no_contact', 'visit_due', 'dispatch_awaiting'] as const).map((kind) => {
      const list: TodoCounty[] = kind === 'dispatch_awaiting'
        ? orders.map((o) => ({ county: o.county_code, countyName: name(o.county_code), persons: 0, items: o.orders }))
        : rows.filter((x) => x.kind === kind).map((x) => ({ county: x.county_code, countyName: name(x.county_code), persons: x.persons, items: x.items }));
      list.sort((a, b) => b.items - a.items || a.county.localeCompare(b.county));
      return {
        kind, ...LABELS[kind](params), counties: list,
        items: list.reduce((s, x) => s + x.items, 0), persons: list.reduce((s, x) => s + x.persons, 0),
      };
    });
    return { region: r.code, regionName: r.name, asOf, params, items };
  }

  async setup(): Promise<SetupChecklist> {
    const f = await this.repo.setupFacts();
    const channels = f.liaisonChannels + f.extraChannels;
    const steps: SetupStep[] = [
      {
        key: 'admin_password', label: '修改管理员初始密码', done: f.adminPasswordChanges > 0,
        detail: f.adminPasswordChanges > 0 ? '管理员密码已修改' : '首次启动时生成（或由 ADMIN_PASSWORD 设定）的初始密码仍在使用',
        link: '/admin?tab=users',
      },
      {
        key: 'users', label: '添加省、市、县用户', done: f.users > 0,
        detail: f.users > 0 ? `已有 ${f.users} 个业务用户` : '除管理员外尚无用户：为省级、11 个报送单位和各县级单位开通账户',
        link: '/admin?tab=users',
      },
      {
        key: 'channels', label: '设置联络员和预警通知渠道', done: f.liaisons > 0 && channels > 0,
        detail: f.liaisons > 0 || channels > 0
          ? `联络员 ${f.liaisons} 个地区，通知渠道 ${channels} 个${f.liaisons > 0 && channels > 0 ? '' : '（联络员和至少一个企业微信/钉钉/飞书/邮件渠道都需设置）'}`
          : '尚未设置联络员名录和企业微信、钉钉、飞书或邮件通知渠道，预警无法送达',
        link: '/admin?tab=liaisons',
      },
      {
        key: 'ledgers', label: '导入第一批真实台账', done: f.realRuns > 0,
        detail: f.realRuns > 0 ? `已成功导入 ${f.realRuns} 批真实数据，共 ${f.realRows} 行` : `把台账文件（CSV/XLSX）放入收件箱 ${this.cfg.inboxDir}，一分钟内自动导入`,
        link: null,
      },
      {
        key: 'demo_off', label: '关闭演示数据', done: !this.cfg.demo && f.demoRuns === 0,
        detail: f.demoRuns > 0
          ? '库中仍有演示数据（演示数据与真实台账会混在一起统计）：以 DEMO=off 和新的数据目录（DATA_DIR）重新启动'
          : this.cfg.demo ? '当前以 DEMO=on 启动：空数据目录会自动载入演示数据，设置 DEMO=off' : '未载入演示数据（DEMO=off）',
        link: null,
      },
    ];
    const done = steps.filter((s) => s.done).length;
    return { steps, done, total: steps.length, complete: done === steps.length };
  }
}
