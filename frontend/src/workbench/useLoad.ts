// One async load with its states (loading, error with retry, ready). A newer
// run wins over an older one still in flight; data stays while reloading so a
// table does not flash empty between pages.
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { ApiError } from '../api';
import { errorText } from './errors';

export type LoadState = 'idle' | 'loading' | 'error' | 'ready';

export interface Load<T> {
  state: Ref<LoadState>;
  data: ShallowRef<T | null>;
  error: Ref<string>;
  /** HTTP status of the failure (0 = network or not an API error). */
  status: Ref<number>;
  run(): Promise<void>;
  reset(): void;
}

export function useLoad<T>(fn: () => Promise<T>): Load<T> {
  const state = ref<LoadState>('idle');
  const data = shallowRef<T | null>(null);
  const error = ref('');
  const status = ref(0);
  let seq = 0;
  async function run(): Promise<void> {
    const mine = ++seq;
    state.value = 'loading';
    try {
      const d = await fn();
      if (mine !== seq) return;
      data.value = d;
      error.value = '';
      state.value = 'ready';
    } catch (e) {
      if (mine !== seq) return;
      error.value = errorText(e);
      status.value = e instanceof ApiError ? e.status : 0;
      state.value = 'error';
    }
  }
  function reset(): void {
    seq++;
    state.value = 'idle';
    data.value = null;
    error.value = '';
    status.value = 0;
  }
  return { state, data, error, status, run, reset };
}
