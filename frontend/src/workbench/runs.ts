// How an ingest run ended, in the desk's words.
export const RUN_STATUS: Record<string, { label: string; tone: string }> = {
  running: { label: '进行中', tone: '' },
  succeeded: { label: '成功', tone: 'wb-badge-good' },
  rejected: { label: '文件被拒收', tone: 'wb-badge-bad' },
  failed: { label: '失败', tone: 'wb-badge-bad' },
};

export const RUN_SOURCE: Record<string, string> = {
  cli: '命令行导入',
  inbox: '收件箱文件',
  postgres: '业务平台数据库',
  demo: '演示数据',
};

/** A UTC stamp from the server ('2022-09-30 01:02:03.456', or ISO with a zone) as Beijing time 'YYYY-MM-DD HH:mm:ss'; null → —. */
export function beijingTime(utc: string | null): string {
  if (!utc) return '—';
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(utc) ? utc : `${utc.replace(' ', 'T')}Z`);
  return Number.isNaN(t) ? utc : new Date(t + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
