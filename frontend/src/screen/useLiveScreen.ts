// Live data for the wall: fetch /api/screen/:code, refetch on every
// `snapshot` pushed over /api/live and when the server's day changes, keep
// the last data on screen whatever happens, and reconnect with backoff.
import { onScopeDispose, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { ApiError, apiPath, getJson } from '../api';
import type { LiveHeartbeat, ScreenPayload, ScreenPlan } from '../../../backend/src/screen/screen.types';
import { backoffDelay } from './options/logic';
import type { AlertGroup } from '../../../backend/src/alerts/alerts.groups.types';

/** No event at all for this long (heartbeats come every 15 s) means the stream is dead even if the socket looks open. */
const WATCHDOG_MS = 45_000;
/** A blip shorter than this does not raise the banner. */
const BANNER_GRACE_MS = 2_000;

/** GET /api/alerts/summary: open alerts by severity (from the alert groups), the five most urgent groups and the newest five (no names). */
export interface AlertsSummary {
  open: { critical?: number; high?: number; medium?: number; low?: number; total: number };
  groups?: AlertGroup[];
  newest: Array<{ id: string; ruleLabel: string; severity: string; regionName: string; title: string; openedAt: string }>;
}

export interface LiveScreen {
  data: ShallowRef<ScreenPayload | null>;
  /** Open alerts of the wall's region; null until known (the wall still works without them). */
  alerts: ShallowRef<AlertsSummary | null>;
  /** The unit in focus on the province wall's focus scene. */
  focus: ShallowRef<ScreenPayload | null>;
  plan: ShallowRef<ScreenPlan | null>;
  /** A request the server refused (bad code or day): shown instead of data on the first load. */
  error: Ref<string | null>;
  /** The server is out of reach (after a short grace). */
  disconnected: Ref<boolean>;
  /** serverTime of the last successful fetch. */
  lastOk: Ref<string | null>;
  refresh(): Promise<void>;
  loadFocus(code: string | null): Promise<boolean>;
}

function parseHeartbeat(raw: string): LiveHeartbeat | null {
  try {
    return JSON.parse(raw) as LiveHeartbeat;
  } catch {
    return null;
  }
}

function screenUrl(code: string, asOf: string | undefined): string {
  return `/api/screen/${encodeURIComponent(code)}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`;
}

export function useLiveScreen(opts: { code: Ref<string>; asOf: Ref<string | undefined> }): LiveScreen {
  const data = shallowRef<ScreenPayload | null>(null);
  const alerts = shallowRef<AlertsSummary | null>(null);
  const focus = shallowRef<ScreenPayload | null>(null);
  const plan = shallowRef<ScreenPlan | null>(null);
  const error = ref<string | null>(null);
  const disconnected = ref(false);
  const lastOk = ref<string | null>(null);

  const streamUp = ref(false);
  const fetchFailed = ref(false);
  let disposed = false;
  let es: EventSource | null = null;
  let attempt = 0;
  let fetchAttempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let watchdogTimer: ReturnType<typeof setTimeout> | undefined;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  let inflight: Promise<void> | null = null;
  let again = false;
  let focusCode: string | null = null;
  let firstConnect = true;

  async function fetchOnce(): Promise<void> {
    const code = opts.code.value;
    const asOf = opts.asOf.value;
    try {
      const [main, fc, pl, al] = await Promise.all([
        getJson<ScreenPayload>(screenUrl(code, asOf)),
        focusCode ? getJson<ScreenPayload>(screenUrl(focusCode, asOf)) : Promise.resolve(null),
        plan.value ? Promise.resolve(plan.value) : getJson<ScreenPlan>('/api/screen/plan'),
        // Alerts are a bonus on the wall: their failure must not blank the numbers.
        getJson<AlertsSummary>(`/api/alerts/summary?region=${encodeURIComponent(code)}`).catch(() => null),
      ]);
      if (disposed || code !== opts.code.value) return;
      data.value = main;
      if (al) alerts.value = al;
      if (fc && fc.region.code === focusCode) focus.value = fc;
      plan.value = pl;
      lastOk.value = main.serverTime;
      error.value = null;
      fetchFailed.value = false;
      fetchAttempt = 0;
    } catch (e) {
      if (disposed) return;
      // The server answered and refused: say why (only matters before any data is shown).
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
        error.value = e.message;
        return;
      }
      fetchFailed.value = true;
      // While the stream is up nothing else would retry; when it is down, reconnecting refetches.
      if (streamUp.value) {
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => void refresh(), backoffDelay(fetchAttempt++, Math.random()));
      }
    }
  }

  /** Fetches now; calls during a fetch coalesce into one more fetch after it. */
  function refresh(): Promise<void> {
    if (inflight) {
      again = true;
      return inflight;
    }
    inflight = (async () => {
      do {
        again = false;
        await fetchOnce();
      } while (again && !disposed);
      inflight = null;
    })();
    return inflight;
  }

  async function loadFocus(code: string | null): Promise<boolean> {
    focusCode = code;
    if (!code) {
      focus.value = null;
      return false;
    }
    if (focus.value?.region.code === code) {
      void refresh();
      return true;
    }
    try {
      const p = await getJson<ScreenPayload>(screenUrl(code, opts.asOf.value));
      if (disposed || focusCode !== code) return false;
      focus.value = p;
      return true;
    } catch {
      return false;
    }
  }

  function kickWatchdog(): void {
    clearTimeout(watchdogTimer);
    watchdogTimer = setTimeout(drop, WATCHDOG_MS);
  }

  function drop(): void {
    es?.close();
    es = null;
    streamUp.value = false;
    clearTimeout(watchdogTimer);
    clearTimeout(reconnectTimer);
    if (disposed) return;
    reconnectTimer = setTimeout(connect, backoffDelay(attempt++, Math.random()));
  }

  function connect(): void {
    if (disposed) return;
    // EventSource cannot send headers: a wall-screen token rides in the URL (the server moves it to a header).
    const token = new URLSearchParams(window.location.search).get('token');
    const source = new EventSource(apiPath(token ? `/api/live?token=${encodeURIComponent(token)}` : '/api/live'));
    es = source;
    const reconnecting = !firstConnect;
    firstConnect = false;
    source.addEventListener('open', () => {
      attempt = 0;
      streamUp.value = true;
      kickWatchdog();
      // Snapshots may have been missed while the stream was down.
      if (reconnecting || fetchFailed.value) void refresh();
    });
    source.addEventListener('snapshot', () => {
      kickWatchdog();
      void refresh();
    });
    source.addEventListener('heartbeat', (e) => {
      kickWatchdog();
      const hb = parseHeartbeat((e as MessageEvent<string>).data);
      // Midnight by the server's clock: the day shown may move on.
      if (hb && data.value && hb.today !== data.value.today) void refresh();
    });
    // EventSource would retry on its own at a fixed pace; we back off instead.
    source.addEventListener('error', () => {
      if (es === source) drop();
    });
  }

  watch([streamUp, fetchFailed], ([up, failed]) => {
    clearTimeout(graceTimer);
    if (up && !failed) {
      disconnected.value = false;
      return;
    }
    graceTimer = setTimeout(() => {
      disconnected.value = !streamUp.value || fetchFailed.value;
    }, BANNER_GRACE_MS);
  });

  watch([opts.code, opts.asOf], () => {
    error.value = null;
    void refresh();
  });

  void refresh();
  connect();

  onScopeDispose(() => {
    disposed = true;
    es?.close();
    es = null;
    for (const t of [reconnectTimer, retryTimer, watchdogTimer, graceTimer]) clearTimeout(t);
  });

  return { data, alerts, focus, plan, error, disconnected, lastOk, refresh, loadFocus };
}
