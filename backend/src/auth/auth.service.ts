// Accounts, sessions, wall-screen tokens and the audit log.
import * as crypto from 'node:crypto';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { REGION_BY_CODE, PROVINCE_CODE } from '../regions/regions.data';
import { AuthRepository, type AuditRow, type ScreenTokenRow, type UserRow } from './auth.repository';
import { hashPassword, passwordProblem, randomPassword, verifyPassword } from './password';
import { USER_ROLES, type Principal, type Role } from './scope';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
export const SESSION_HOURS = 8;

export class LoginError extends Error {
  constructor(message: string, readonly locked = false) {
    super(message);
  }
}

export interface PublicUser {
  username: string;
  role: string;
  regionCode: string;
  displayName: string;
  disabled: boolean;
  locked: boolean;
  createdAt: string;
  /** Still holds its one-time initial password. */
  mustChangePassword: boolean;
}

// One-shot hash (no Hash object per call): a session's token is hashed on every request, also on the hot GET path.
function sha256(s: string): string {
  return crypto.hash('sha256', s, 'hex');
}

/** ClickHouse's toString of a UTC DateTime64 ('YYYY-MM-DD hh:mm:ss.sss') as epoch ms. */
export function parseUtc(s: string): number {
  return Date.parse(s.includes('T') ? s : `${s.replace(' ', 'T')}Z`);
}

function nowIso(): string {
  return new Date().toISOString();
}

/** The region a role is scoped to: province-wide roles are always 220000. */
export function regionFor(role: Role, region: string | undefined): string {
  if (role === 'admin' || role === 'province') return PROVINCE_CODE;
  if (!region) throw new BadRequestException(`角色 ${role} 需要指定地区 --region / role ${role} needs a region`);
  const r = REGION_BY_CODE.get(region);
  if (role === 'unit' && (!r || r.level !== 'unit')) throw new BadRequestException(`${region} 不是市级单位 / not a reporting unit`);
  if (role === 'county' && !(r && (r.level === 'county' || r.code === '220581'))) throw new BadRequestException(`${region} 不是县级单位 / not a county-level unit`);
  return region;
}

type SessionCache = Map<string, { p: Principal; expires: number; checked: number }>;
/**
 * Remembered sessions, one map per install: every campaign year's application in a process reads the same
 * accounts, so a sign-out, a password change or a disabled account forgets the session for all of them.
 */
const SESSION_CACHES = new WeakMap<object, SessionCache>();

let sessionsForgotten = 0;
/** Counts every time remembered sessions were forgotten (sign-out, password change, a disabled account, a revoked token). */
export function sessionGeneration(): number {
  return sessionsForgotten;
}

@Injectable()
export class AuthService {
  private readonly sessionLookups = new Map<string, Promise<Principal | null>>();

  private forgetSessions(): void {
    this.sessionCache.clear();
    sessionsForgotten++;
  }

  private get sessionCache(): SessionCache {
    let c = SESSION_CACHES.get(this.repo.install);
    if (!c) SESSION_CACHES.set(this.repo.install, (c = new Map()));
    return c;
  }

  constructor(
    private readonly repo: AuthRepository,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /** First start: the `admin` account, with ADMIN_PASSWORD or a generated password printed once. */
  async ensureAdmin(env: NodeJS.ProcessEnv = process.env): Promise<{ created: boolean; generated?: string }> {
    if ((await this.repo.countUsers()) > 0) return { created: false };
    const given = env.ADMIN_PASSWORD;
    if (given) {
      const problem = passwordProblem(given, 'admin');
      if (problem) throw new BadRequestException(`ADMIN_PASSWORD: ${problem}`);
    }
    const password = given || randomPassword();
    await this.createUser({ username: 'admin', role: 'admin', password, displayName: '系统管理员' }, null);
    return given ? { created: true } : { created: true, generated: password };
  }

  async createUser(
    u: { username: string; role: Role; region?: string; password: string; displayName?: string; mustChangePassword?: boolean },
    by: Principal | null,
    ip = '',
    auditDetail = '',
  ): Promise<PublicUser> {
    if (!/^[A-Za-z0-9_.-]{3,32}$/.test(u.username)) throw new BadRequestException('用户名为3-32位字母、数字或 _ . - / username: 3-32 letters, digits, _ . -');
    if (!USER_ROLES.includes(u.role)) throw new BadRequestException(`角色必须是 ${USER_ROLES.join('、')} 之一 / unknown role`);
    if (await this.repo.getUser(u.username)) throw new ConflictException(`用户 ${u.username} 已存在 / user exists`);
    const problem = passwordProblem(u.password, u.username);
    if (problem) throw new BadRequestException(problem);
    const row: UserRow = {
      username: u.username, password_hash: await hashPassword(u.password), role: u.role, region_code: regionFor(u.role, u.region),
      display_name: u.displayName ?? u.username, disabled: false, failed_logins: 0, locked_until: null, created_at: nowIso(),
      must_change_password: u.mustChangePassword ? 1 : 0,
    };
    await this.repo.saveUser(row);
    await this.audit(by, ip, 'user.create', u.username, `role=${row.role} region=${row.region_code}${auditDetail}`);
    return toPublic(row);
  }

  /**
   * Many accounts at once (bulk import): each checked like createUser, the passwords hashed a few at a time,
   * then one insert of the accounts and one of their `user.create` audit rows. Returns per account the created
   * user or the reason it was refused.
   */
  async createUsers(
    list: Array<{ username: string; role: Role; region?: string; password: string; displayName?: string; mustChangePassword?: boolean; auditDetail?: string }>,
    by: Principal | null,
    ip = '',
  ): Promise<Array<{ user: PublicUser } | { error: string }>> {
    const taken = new Set((await this.repo.listUsers()).map((u) => u.username));
    type Checked = { u: (typeof list)[number]; region: string; hash: Promise<string> } | { error: string };
    const checked = list.map((u): Checked => {
      try {
        if (!/^[A-Za-z0-9_.-]{3,32}$/.test(u.username)) throw new BadRequestException('用户名为3-32位字母、数字或 _ . - / username: 3-32 letters, digits, _ . -');
        if (!USER_ROLES.includes(u.role)) throw new BadRequestException(`角色必须是 ${USER_ROLES.join('、')} 之一 / unknown role`);
        if (taken.has(u.username)) throw new ConflictException(`用户 ${u.username} 已存在 / user exists`);
        const problem = passwordProblem(u.password, u.username);
        if (problem) throw new BadRequestException(problem);
        const region = regionFor(u.role, u.region);
        taken.add(u.username);
        // scrypt runs on the libuv pool: every hash is queued now, a few run at a time.
        return { u, region, hash: hashPassword(u.password) };
      } catch (e) {
        return { error: e instanceof Error ? e.message : String(e) };
      }
    });
    const rows = new Map<number, UserRow>();
    for (const [i, c] of checked.entries()) {
      if ('error' in c) continue;
      rows.set(i, {
        username: c.u.username, password_hash: await c.hash, role: c.u.role, region_code: c.region, display_name: c.u.displayName ?? c.u.username,
        disabled: false, failed_logins: 0, locked_until: null, created_at: nowIso(), must_change_password: c.u.mustChangePassword ? 1 : 0,
      });
    }
    await this.repo.saveUsers([...rows.values()]);
    await this.repo.audit([...rows].map(([i, r]) => ({
      ts: nowIso(), username: by?.username ?? 'system', role: by?.role ?? '', ip, action: 'user.create', target: r.username,
      detail: `role=${r.role} region=${r.region_code}${list[i]!.auditDetail ?? ''}`, ok: true,
    })));
    return checked.map((c, i) => ('error' in c ? { error: c.error } : { user: toPublic(rows.get(i)!) }));
  }

  async listUsers(): Promise<PublicUser[]> {
    return (await this.repo.listUsers()).map(toPublic);
  }

  async setDisabled(username: string, disabled: boolean, by: Principal | null, ip = ''): Promise<PublicUser> {
    const u = await this.repo.getUser(username);
    if (!u) throw new NotFoundException(`用户 ${username} 不存在 / no such user`);
    if (disabled && by?.username === username) throw new BadRequestException('不能停用自己的账户 / you cannot disable your own account');
    const row = { ...u, disabled, failed_logins: 0, locked_until: null };
    await this.repo.saveUser(row);
    if (disabled) await this.repo.revokeSessionsOf(username);
    this.forgetSessions();
    await this.audit(by, ip, disabled ? 'user.disable' : 'user.enable', username, '');
    return toPublic(row);
  }

  async setPassword(username: string, password: string, by: Principal | null, ip = ''): Promise<void> {
    const u = await this.repo.getUser(username);
    if (!u) throw new NotFoundException(`用户 ${username} 不存在 / no such user`);
    const problem = passwordProblem(password, username);
    if (problem) throw new BadRequestException(problem);
    await this.repo.saveUser({ ...u, password_hash: await hashPassword(password), failed_logins: 0, locked_until: null });
    await this.repo.revokeSessionsOf(username);
    this.forgetSessions();
    await this.audit(by, ip, 'user.password', username, '');
  }

  /**
   * The holder changes their own password (required at first sign-in with an initial password): the current
   * one is checked, the new one must meet the policy and differ from it; every session of the account is
   * revoked and a fresh one returned, so the caller stays signed in.
   */
  async changeOwnPassword(p: Principal, current: string, next: string, ip: string): Promise<{ token: string; csrf: string; principal: Principal; expiresAt: Date }> {
    const u = await this.repo.getUser(p.username);
    if (!u || u.disabled) throw new NotFoundException(`用户 ${p.username} 不存在或已停用 / no such user`);
    if (!(await verifyPassword(current, u.password_hash))) {
      await this.audit(p, ip, 'user.password.self', p.username, 'wrong current password', false);
      throw new BadRequestException('当前密码不正确 / the current password is wrong');
    }
    if (next === current) throw new BadRequestException('新密码不能与当前密码相同 / the new password must differ from the current one');
    const problem = passwordProblem(next, p.username);
    if (problem) throw new BadRequestException(problem);
    await this.repo.saveUser({ ...u, password_hash: await hashPassword(next), failed_logins: 0, locked_until: null, must_change_password: 0 });
    await this.repo.revokeSessionsOf(p.username);
    this.forgetSessions();
    await this.audit(p, ip, 'user.password.self', p.username, u.must_change_password ? 'initial password replaced' : '');
    return this.login(p.username, next, ip);
  }

  async login(username: string, password: string, ip: string): Promise<{ token: string; csrf: string; principal: Principal; expiresAt: Date }> {
    const u = await this.repo.getUser(username);
    const fail = async (reason: string, locked = false) => {
      await this.repo.audit({ ts: nowIso(), username, role: u?.role ?? '', ip, action: 'login', target: username, detail: reason, ok: false });
      throw new LoginError(locked ? `账户已锁定，请 ${LOCK_MINUTES} 分钟后再试 / account locked` : '用户名或密码错误 / wrong username or password', locked);
    };
    if (!u) {
      await verifyPassword(password, 'scrypt$32768$AAAAAAAAAAAAAAAAAAAAAA==$AAAA'); // same cost as a real check
      return fail('unknown user');
    }
    if (u.disabled) return fail('disabled');
    if (u.locked_until && parseUtc(u.locked_until) > Date.now()) return fail('locked', true);
    if (!(await verifyPassword(password, u.password_hash))) {
      const failed = u.failed_logins + 1;
      const lock = failed >= MAX_FAILED_LOGINS;
      await this.repo.saveUser({
        ...u, failed_logins: lock ? 0 : failed, locked_until: lock ? new Date(Date.now() + LOCK_MINUTES * 60_000).toISOString() : null,
      });
      return fail(lock ? 'wrong password; locked' : 'wrong password', lock);
    }
    if (u.failed_logins || u.locked_until) await this.repo.saveUser({ ...u, failed_logins: 0, locked_until: null });
    const token = crypto.randomBytes(32).toString('base64url');
    const csrf = crypto.randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
    await this.repo.saveSession({ token_hash: sha256(token), username, csrf, ip, created_at: nowIso(), expires_at: expiresAt.toISOString(), revoked: false });
    const principal = toPrincipal(u, csrf);
    await this.audit(principal, ip, 'login', username, '');
    return { token, csrf, principal, expiresAt };
  }

  async logout(token: string, p: Principal | null, ip: string): Promise<void> {
    const s = await this.repo.getSession(sha256(token));
    if (s) await this.repo.saveSession({ ...s, revoked: true });
    this.sessionCache.delete(sha256(token));
    sessionsForgotten++;
    await this.audit(p, ip, 'logout', p?.username ?? '', '');
  }

  /** The principal of a session cookie, or null (expired, revoked, disabled). Cached for 15 s. */
  async fromSession(token: string): Promise<Principal | null> {
    const h = sha256(token);
    const hit = this.sessionCache.get(h);
    if (hit && hit.expires > Date.now() && Date.now() - hit.checked < 15_000) return hit.p;
    // Concurrent requests of one session share one lookup: when the cache entry expires under load, hundreds of
    // requests would otherwise queue the same two queries at once.
    let pending = this.sessionLookups.get(h);
    if (!pending) {
      pending = this.lookupSession(h).finally(() => this.sessionLookups.delete(h));
      this.sessionLookups.set(h, pending);
    }
    return pending;
  }

  private async lookupSession(h: string): Promise<Principal | null> {
    const s = await this.repo.getSession(h);
    if (!s || s.revoked || parseUtc(s.expires_at) <= Date.now()) return null;
    const u = await this.repo.getUser(s.username);
    if (!u || u.disabled) return null;
    const p = toPrincipal(u, s.csrf);
    if (this.sessionCache.size > 10_000) this.forgetSessions();
    this.sessionCache.set(h, { p, expires: parseUtc(s.expires_at), checked: Date.now() });
    return p;
  }

  async createScreenToken(label: string, region: string, by: Principal, ip: string): Promise<{ id: string; token: string; row: ScreenTokenRow }> {
    const r = REGION_BY_CODE.get(region);
    if (!r || r.level === 'county') throw new BadRequestException('大屏令牌只能用于全省或市级单位 / a screen token covers the province or a unit');
    const token = crypto.randomBytes(24).toString('base64url');
    const row: ScreenTokenRow = {
      token_hash: sha256(token), id: crypto.randomBytes(6).toString('hex'), label: label.slice(0, 100), region_code: region,
      created_by: by.username, created_at: nowIso(), revoked: false,
    };
    await this.repo.saveScreenToken(row);
    await this.audit(by, ip, 'screen-token.create', row.id, `label=${row.label} region=${region}`);
    return { id: row.id, token, row: { ...row, token_hash: '' } };
  }

  listScreenTokens(): Promise<ScreenTokenRow[]> {
    return this.repo.listScreenTokens();
  }

  async revokeScreenToken(id: string, by: Principal, ip: string): Promise<void> {
    const t = await this.repo.screenTokenById(id);
    if (!t) throw new NotFoundException(`大屏令牌 ${id} 不存在 / no such token`);
    await this.repo.saveScreenToken({ ...t, revoked: true });
    this.forgetSessions();
    await this.audit(by, ip, 'screen-token.revoke', id, '');
  }

  async fromScreenToken(token: string): Promise<Principal | null> {
    const h = `screen:${sha256(token)}`;
    const hit = this.sessionCache.get(h);
    if (hit && Date.now() - hit.checked < 15_000) return hit.p;
    const t = await this.repo.getScreenToken(sha256(token));
    if (!t || t.revoked) return null;
    const p: Principal = { username: `screen:${t.id}`, role: 'screen', regionCode: t.region_code, displayName: t.label, tokenId: t.id };
    this.sessionCache.set(h, { p, expires: Number.MAX_SAFE_INTEGER, checked: Date.now() });
    return p;
  }

  async audit(p: Principal | null, ip: string, action: string, target: string, detail: string, ok = true): Promise<void> {
    const row: AuditRow = { ts: nowIso(), username: p?.username ?? 'system', role: p?.role ?? '', ip, action, target, detail, ok };
    await this.repo.audit(row);
  }

  listAudit(f: { action?: string; username?: string; limit: number; offset: number }) {
    return this.repo.listAudit(f);
  }

  get dataDir(): string {
    return this.cfg.dataDir;
  }
}

function toPrincipal(u: UserRow, csrf?: string): Principal {
  const p: Principal = { username: u.username, role: u.role as Role, regionCode: u.region_code, displayName: u.display_name, csrf };
  if (Number(u.must_change_password) === 1) p.mustChangePassword = true;
  return p;
}

function toPublic(u: UserRow): PublicUser {
  return {
    username: u.username, role: u.role, regionCode: u.region_code, displayName: u.display_name, disabled: u.disabled,
    locked: Boolean(u.locked_until && parseUtc(u.locked_until) > Date.now()),
    createdAt: u.created_at,
    mustChangePassword: Number(u.must_change_password) === 1,
  };
}
