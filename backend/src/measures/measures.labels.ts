// Chinese labels of the metric keys of kinds 5–8 (CLI, exports, workbench, screen).
import type { MeasureMetrics } from './measures.types';

export const MEASURE_METRIC_LABELS: Record<keyof MeasureMetrics, string> = {
  centres: '实训中心', countyCentreRate: '县区实训中心覆盖率', centreEntrants: '进驻人数', centreResident: '在驻人数',
  centreExits: '退出人次', centreExitsByChannel: '退出方式', centreExitsToWork: '退出就业人次', centreExitWorkRate: '退出就业率',
  centre1311: '进驻人员1311完成', centreAllowance: '生活补助（元）', postsDeveloped: '开发岗位', postsBySource: '岗位来源',
  postsPublished: '96885已发布岗位', postsPublishedRate: '岗位发布率', postsHired: '已招用毕业生', policyGranted: '政策办结件数',
  policyPersons: '政策享受人数', policyAmount: '政策资金（元）', policyByType: '政策类型', policyPending: '政策在办件数',
  policyOnlineRate: '网办及主动发现率',
};
