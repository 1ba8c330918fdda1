// A small typed fetch wrapper: JSON in, JSON out, the server's message on failure.
import { campaignInSearch, withCampaign } from './campaign/campaignQuery';

export class ApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'ApiError';
  }
}

function messageOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || !('message' in body)) return undefined;
  const m = (body as { message: unknown }).message;
  if (typeof m === 'string') return m;
  // Nest's validation errors carry a list of messages.
  if (Array.isArray(m)) return m.filter((x) => typeof x === 'string').join('；');
  return undefined;
}

function cookie(name: string): string {
  const m = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return m ? decodeURIComponent(m.slice(name.length + 1)) : '';
}

/** Called when the server says the session is gone (set by the router: go to the login page). */
let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

/** A wall-screen token from the page URL (?token=…) travels with every API call. */
function screenToken(): string {
  return new URLSearchParams(window.location.search).get('token') ?? '';
}

/** An API path with the page's campaign year (?campaign=YEAR in the page URL) added: every call reads that year's data. */
export function apiPath(path: string): string {
  return withCampaign(path, campaignInSearch(window.location.search));
}

export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  path = apiPath(path);
  let res: Response;
  const headers: Record<string, string> = { Accept: 'application/json', 'X-CSRF-Token': cookie('csrf') };
  const token = screenToken();
  if (token) headers['X-Screen-Token'] = token;
  if (init?.body && typeof init.body === 'string') headers['Content-Type'] = 'application/json';
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init, headers: { ...headers, ...(init?.headers as Record<string, string> | undefined) } });
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试', 0);
  }
  if (!res.ok) {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    if (res.status === 401 && !path.startsWith('/api/auth/login')) onUnauthorized?.();
    throw new ApiError(messageOf(body) ?? `请求失败（HTTP ${res.status}）`, res.status);
  }
  return (await res.json()) as T;
}

export function postJson<T>(path: string, body: unknown): Promise<T> {
  return getJson<T>(path, { method: 'POST', body: JSON.stringify(body ?? {}) });
}
