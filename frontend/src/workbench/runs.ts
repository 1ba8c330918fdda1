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
