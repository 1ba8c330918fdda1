// POST JSON to a robot or webhook, with a timeout; the answer is judged the
// way the IM robots report errors (HTTP 200 with a non-zero errcode / code).

export interface SendResult {
  ok: boolean;
  httpStatus: number;
  error: string;
  /** Exactly what was sent (JSON or the e-mail message), for the delivery log. */
  payload: string;
}

/** WeCom and DingTalk answer {"errcode":0,…}; Feishu {"code":0,…} (older: {"StatusCode":0}). */
export function robotAccepted(status: number, text: string): { ok: boolean; error: string } {
  if (status < 200 || status >= 300) return { ok: false, error: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: true, error: '' };
  }
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    for (const k of ['errcode', 'code', 'StatusCode']) {
      if (k in b && b[k] !== 0 && b[k] !== '0') {
        const msg = String(b.errmsg ?? b.msg ?? b.StatusMessage ?? '');
        return { ok: false, error: `${k}=${String(b[k])}${msg ? ` ${msg}` : ''}` };
      }
    }
  }
  return { ok: true, error: '' };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<SendResult> {
  const payload = JSON.stringify(body);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: payload,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    const text = await res.text();
    const verdict = robotAccepted(res.status, text);
    return { ok: verdict.ok, httpStatus: res.status, error: verdict.error, payload };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return { ok: false, httpStatus: 0, error: `${err.name === 'TimeoutError' ? 'timeout' : err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`, payload };
  }
}
