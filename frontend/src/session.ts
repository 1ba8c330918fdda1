// The signed-in user, loaded once from /api/auth/me; the UI shows only what they may open.
import { reactive } from 'vue';
import { ApiError, getJson, postJson } from './api';

export interface Me {
  username: string;
  role: 'admin' | 'province' | 'unit' | 'county' | 'screen';
  regionCode: string;
  displayName: string;
  /** `${level}:${code}` of every region the user may open. */
  regions: string[];
  /** Still holds a one-time initial password: must change it before anything else. */
  mustChangePassword?: boolean;
}

export const session = reactive<{ me: Me | null; loaded: boolean }>({ me: null, loaded: false });

export async function loadMe(): Promise<Me | null> {
  try {
    session.me = await getJson<Me>('/api/auth/me');
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    session.me = null;
  }
  session.loaded = true;
  return session.me;
}

export async function login(username: string, password: string): Promise<Me | null> {
  await postJson('/api/auth/login', { username, password });
  return loadMe();
}

/** Changes the signed-in user's password; the server starts a fresh session (call loadMe() after). */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await postJson('/api/auth/password', { currentPassword, newPassword });
}

export async function logout(): Promise<void> {
  try {
    await postJson('/api/auth/logout', {});
  } finally {
    session.me = null;
  }
}

export function canOpen(code: string): boolean {
  const me = session.me;
  if (!me) return false;
  return me.regions.some((r) => r.endsWith(`:${code}`));
}

export const ROLE_LABELS: Record<Me['role'], string> = {
  admin: '系统管理员',
  province: '省级用户',
  unit: '市级用户',
  county: '县级用户',
  screen: '大屏',
};
