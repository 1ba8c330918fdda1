import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';

export interface UserRow {
  username: string;
  password_hash: string;
  role: string;
  region_code: string;
  display_name: string;
  disabled: boolean;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  /** 1: signed in with a one-time initial password, which must be changed before anything else. */
  must_change_password: number;
}

export interface SessionRow {
  token_hash: string;
  username: string;
  csrf: string;
  ip: string;
  created_at: string;
  expires_at: string;
  revoked: boolean;
}

export interface ScreenTokenRow {
  token_hash: string;
  id: string;
  label: string;
  region_code: string;
  created_by: string;
  created_at: string;
  revoked: boolean;
}

export interface AuditRow {
  ts: string;
  username: string;
  role: string;
  ip: string;
  action: string;
  target: string;
  detail: string;
  ok: boolean;
}

const USER_COLS = `username, password_hash, role, region_code, display_name, disabled, failed_logins,
  toString(locked_until) AS locked_until, toString(created_at) AS created_at, must_change_password`;

@Injectable()
export class AuthRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  /** The install's accounts (one per main database): what every campaign year's application shares. */
  get install(): object {
    return this.ch.install;
  }

  async getUser(username: string): Promise<UserRow | null> {
    const rs = await this.ch.install.query({
      query: `SELECT ${USER_COLS} FROM users FINAL WHERE username = {u:String}`,
      query_params: { u: username },
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<UserRow>();
    return r ? { ...r, disabled: Boolean(r.disabled), failed_logins: Number(r.failed_logins), must_change_password: Number(r.must_change_password) } : null;
  }

  async listUsers(): Promise<UserRow[]> {
    const rs = await this.ch.install.query({ query: `SELECT ${USER_COLS} FROM users FINAL ORDER BY username`, format: 'JSONEachRow' });
    return (await rs.json<UserRow>()).map((r) => ({ ...r, disabled: Boolean(r.disabled), must_change_password: Number(r.must_change_password) }));
  }

  async saveUser(u: UserRow): Promise<void> {
    await this.ch.install.insert({ table: 'users', values: [u], format: 'JSONEachRow' });
  }

  /** Several accounts in one insert (bulk import). */
  async saveUsers(rows: UserRow[]): Promise<void> {
    if (rows.length) await this.ch.install.insert({ table: 'users', values: rows, format: 'JSONEachRow' });
  }

  async countUsers(): Promise<number> {
    const rs = await this.ch.install.query({ query: 'SELECT count() AS n FROM users FINAL', format: 'JSONEachRow' });
    const [r] = await rs.json<{ n: number }>();
    return Number(r?.n ?? 0);
  }

  async getSession(tokenHash: string): Promise<SessionRow | null> {
    const rs = await this.ch.install.query({
      query: `SELECT token_hash, username, csrf, ip, toString(created_at) AS created_at, toString(expires_at) AS expires_at, revoked
              FROM sessions FINAL WHERE token_hash = {h:String}`,
      query_params: { h: tokenHash },
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<SessionRow>();
    return r ? { ...r, revoked: Boolean(r.revoked) } : null;
  }

  async saveSession(s: SessionRow): Promise<void> {
    await this.ch.install.insert({ table: 'sessions', values: [s], format: 'JSONEachRow' });
  }

  async revokeSessionsOf(username: string): Promise<void> {
    const rs = await this.ch.install.query({
      query: `SELECT token_hash, username, csrf, ip, toString(created_at) AS created_at, toString(expires_at) AS expires_at, revoked
              FROM sessions FINAL WHERE username = {u:String} AND NOT revoked`,
      query_params: { u: username },
      format: 'JSONEachRow',
    });
    const rows = (await rs.json<SessionRow>()).map((s) => ({ ...s, revoked: true }));
    if (rows.length) await this.ch.install.insert({ table: 'sessions', values: rows, format: 'JSONEachRow' });
  }

  async getScreenToken(tokenHash: string): Promise<ScreenTokenRow | null> {
    const rs = await this.ch.install.query({
      query: `SELECT token_hash, id, label, region_code, created_by, toString(created_at) AS created_at, revoked
              FROM screen_tokens FINAL WHERE token_hash = {h:String}`,
      query_params: { h: tokenHash },
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<ScreenTokenRow>();
    return r ? { ...r, revoked: Boolean(r.revoked) } : null;
  }

  async listScreenTokens(): Promise<ScreenTokenRow[]> {
    const rs = await this.ch.install.query({
      query: `SELECT '' AS token_hash, id, label, region_code, created_by, toString(created_at) AS created_at, revoked
              FROM screen_tokens FINAL ORDER BY created_at DESC`,
      format: 'JSONEachRow',
    });
    return (await rs.json<ScreenTokenRow>()).map((r) => ({ ...r, revoked: Boolean(r.revoked) }));
  }

  async screenTokenById(id: string): Promise<ScreenTokenRow | null> {
    const rs = await this.ch.install.query({
      query: `SELECT token_hash, id, label, region_code, created_by, toString(created_at) AS created_at, revoked
              FROM screen_tokens FINAL WHERE id = {id:String}`,
      query_params: { id },
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<ScreenTokenRow>();
    return r ? { ...r, revoked: Boolean(r.revoked) } : null;
  }

  async saveScreenToken(t: ScreenTokenRow): Promise<void> {
    await this.ch.install.insert({ table: 'screen_tokens', values: [t], format: 'JSONEachRow' });
  }

  async audit(row: AuditRow | AuditRow[]): Promise<void> {
    const values = Array.isArray(row) ? row : [row];
    if (values.length) await this.ch.install.insert({ table: 'audit_log', values, format: 'JSONEachRow' });
  }

  async listAudit(f: { action?: string; username?: string; limit: number; offset: number }): Promise<{ total: number; rows: AuditRow[] }> {
    const params = { action: f.action ?? '', username: f.username ?? '', limit: f.limit, offset: f.offset };
    const where = `({action:String} = '' OR action = {action:String}) AND ({username:String} = '' OR username = {username:String})`;
    const c = await this.ch.install.query({ query: `SELECT count() AS n FROM audit_log WHERE ${where}`, query_params: params, format: 'JSONEachRow' });
    const [n] = await c.json<{ n: number }>();
    const rs = await this.ch.install.query({
      query: `SELECT toString(ts) AS ts, username, role, ip, action, target, detail, ok FROM audit_log WHERE ${where}
              ORDER BY ts DESC LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
      query_params: params,
      format: 'JSONEachRow',
    });
    return { total: Number(n?.n ?? 0), rows: (await rs.json<AuditRow>()).map((r) => ({ ...r, ok: Boolean(r.ok) })) };
  }
}
