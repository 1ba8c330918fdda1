// A small typed fetch wrapper: JSON in, JSON out, the server's message on failure.

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

export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { Accept: 'application/json', ...init?.headers } });
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
    throw new ApiError(messageOf(body) ?? `请求失败（HTTP ${res.status}）`, res.status);
  }
  return (await res.json()) as T;
}
