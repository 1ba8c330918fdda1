// `npm run cli -- alerts --as-of YYYY-MM-DD [--json] [--notify] [--dry-run]`: evaluates the
// overdue rules at the end of that day (23:59:59 Asia/Shanghai) and prints, as
// its last line, {"asOf", "persisted", "open": [...], "counts": {rule: n}}.
import type { INestApplicationContext } from '@nestjs/common';
import { AlertsService, type AlertView } from '../alerts/alerts.service';
import { endOfDay, RULE_KEYS, RULE_LABELS } from '../alerts/alerts.rules';
import { MetricsService } from '../metrics/metrics.service';
import { checkFlags, str, UsageError, type ParsedArgs } from './args';

export const ALERTS_USAGE = `  alerts --as-of YYYY-MM-DD [--json] [--notify] [--dry-run]
                                            evaluate the overdue-alert rules at the end of a day`;

type WithApp = <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;

/** The open alert as the CLI prints it: masked names only. */
function brief(a: AlertView) {
  return {
    id: a.id, rule: a.rule, severity: a.severity, state: a.state, level: a.level, subject: a.subject, subjectKind: a.subjectKind,
    county: a.countyCode, unit: a.unitCode, owner: a.ownerCode, name: a.name, title: a.title, breachedAt: a.breachedAt, openedAt: a.openedAt,
    dueAt: a.dueAt, ageHours: a.ageHours,
  };
}

export async function cmdAlerts(a: ParsedArgs, withApp: WithApp, out: (line: string) => void): Promise<void> {
  checkFlags(a, ['as-of', 'json', 'notify', 'dry-run']);
  const asOf = str(a, 'as-of');
  if (!asOf) throw new UsageError('alerts needs --as-of YYYY-MM-DD');
  await withApp(async (app) => {
    try {
      await app.get(MetricsService).checkDay(asOf, '--as-of');
    } catch (e) {
      const resp = (e as { getResponse?: () => { message?: string } }).getResponse?.();
      if (resp?.message) throw new UsageError(String(resp.message));
      throw e;
    }
    const r = await app.get(AlertsService).evaluate(endOfDay(asOf), { flush: a.flags.has('notify'), dryRun: a.flags.has('dry-run') });
    if (!r.persisted) {
      process.stderr.write(
        a.flags.has('dry-run')
          ? '--dry-run: 仅计算截至当日的预警条件，未写入预警状态\n'
          : `${asOf} 早于最近一次评估：仅显示当日的预警条件，不改写预警状态和历史 / earlier than the latest evaluation: conditions shown, nothing written\n`,
      );
    }
    if (!a.flags.has('json')) {
      out(`截至 ${asOf} 日终：新增 ${r.opened}，重新打开 ${r.reopened}，自动解除 ${r.resolved}，升级 ${r.escalated}，督办升级 ${r.dispatchEscalated}，待发通知 ${r.noticesQueued}`);
      for (const k of RULE_KEYS.filter((x) => r.counts[x] !== undefined)) out(`  ${RULE_LABELS[k].padEnd(14, '　')} ${String(r.counts[k]).padStart(6)}   ${k}`);
    }
    out(JSON.stringify({ asOf, persisted: r.persisted, open: r.open.map(brief), counts: r.counts }));
  });
}
