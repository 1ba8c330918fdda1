// Scene rotation on the server's plan. A scene is shown only once it is
// ready (prepare() resolves true), so the wall never rotates onto a blank;
// a touch or click pauses the rotation for the plan's pauseSeconds.
import { computed, onScopeDispose, ref, watch, type ComputedRef, type Ref } from 'vue';
import type { ScreenScene, ScreenSceneId } from '../../../backend/src/screen/screen.types';

export interface Rotation {
  scene: ComputedRef<ScreenSceneId>;
  index: Ref<number>;
  paused: Ref<boolean>;
  next(): Promise<void>;
  goTo(index: number): Promise<void>;
  pause(): void;
  resume(): void;
}

export function useRotation(opts: {
  scenes: Ref<ScreenScene[]>;
  pauseSeconds: Ref<number>;
  prepare: (id: ScreenSceneId) => Promise<boolean>;
}): Rotation {
  const index = ref(0);
  const paused = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let resumeTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  let moving = false;

  const scene = computed<ScreenSceneId>(() => opts.scenes.value[index.value]?.id ?? 'overview');

  function schedule(): void {
    clearTimeout(timer);
    if (paused.value || disposed) return;
    const s = opts.scenes.value[index.value];
    if (!s || opts.scenes.value.length < 2) return;
    timer = setTimeout(() => void next(), s.seconds * 1000);
  }

  async function goTo(target: number): Promise<void> {
    const n = opts.scenes.value.length;
    if (!n || moving) return;
    moving = true;
    try {
      let i = ((target % n) + n) % n;
      // Skip scenes that cannot be shown right now (e.g. focus data unreachable).
      for (let tries = 0; tries < n; tries++) {
        if (await opts.prepare(opts.scenes.value[i]!.id)) break;
        i = (i + 1) % n;
      }
      if (!disposed) index.value = i;
    } finally {
      moving = false;
      schedule();
    }
  }

  function next(): Promise<void> {
    return goTo(index.value + 1);
  }

  function pause(): void {
    paused.value = true;
    clearTimeout(timer);
    clearTimeout(resumeTimer);
    resumeTimer = setTimeout(resume, opts.pauseSeconds.value * 1000);
  }

  function resume(): void {
    clearTimeout(resumeTimer);
    paused.value = false;
    schedule();
  }

  watch(opts.scenes, (now, before) => {
    if (JSON.stringify(now) === JSON.stringify(before)) return;
    if (index.value >= now.length) index.value = 0;
    schedule();
  }, { immediate: true });

  onScopeDispose(() => {
    disposed = true;
    clearTimeout(timer);
    clearTimeout(resumeTimer);
  });

  return { scene, index, paused, next, goTo, pause, resume };
}
