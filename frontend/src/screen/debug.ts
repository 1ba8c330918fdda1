// A small handle on the running wall for e2e tests and the benchmark
// (like `window.__echarts__`): refresh now, rotate now, read the state.
export interface ScreenHandle {
  refresh(): Promise<void>;
  next(): Promise<void>;
  scene(): string;
  ready(): boolean;
  paused(): boolean;
}

declare global {
  interface Window {
    __screen__?: ScreenHandle;
  }
}

export function exposeScreen(h: ScreenHandle | undefined): void {
  window.__screen__ = h;
}
