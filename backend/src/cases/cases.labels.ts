import type { Role } from '../auth/scope';

export const ROLE_LABEL: Record<Role, string> = {
  admin: '系统管理员',
  province: '省级',
  unit: '市级',
  county: '县级',
  screen: '大屏',
};
