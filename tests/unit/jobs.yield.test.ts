// The job runner's side of "a load's refresh does not wait behind an alert
// evaluation": with the runner's own schedule replaced by jobs that record
// what they saw, a load (data-loaded) asks a run that yields to the refresh to
// stop, whether that run is the refresh's follow-up, a follow-up that starts
// while the new refresh waits, or a run of its own; and the follow-up of the
// new refresh is not asked to stop.
import { SchedulerRegistry } from '@nestjs/schedule';
import type { ModuleRef } from '@nestjs/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobSpec } from '../../cron/job.types';
import { DataEvents } from '../../backend/src/common/data-events';
import type { AppConfig } from '../../backend/src/config/config';
import type { JobLeaseService } from '../../backend/src/jobs/job-lease.service';
import { JobsService } from '../../backend/src/jobs/jobs.service';

/** A promise and its resolve, to hold a fake job where the test wants it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

const until = async (cond: () => boolean, ms = 5_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

interface Seen { job: string; abortedAtStart: boolean; abortedAtEnd: boolean }

function harness() {
  const seen: Seen[] = [];
  const gates = { refresh: [] as Array<ReturnType<typeof gate>>, alerts: [] as Array<ReturnType<typeof gate>> };
  const fake = (job: 'refresh' | 'alerts') => async (ctx: { signal: AbortSignal }) => {
    const g = gate();
    gates[job].push(g);
    const entry: Seen = { job, abortedAtStart: ctx.signal.aborted, abortedAtEnd: false };
    seen.push(entry);
    // An evaluation that honours its signal stops at once; otherwise it waits for the test.
    if (job === 'alerts' && ctx.signal.aborted) return { stopped: true };
    await Promise.race([g.promise, new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r()))]);
    entry.abortedAtEnd = ctx.signal.aborted;
    if (job === 'refresh' && ctx.signal.aborted) throw new Error('a refresh was asked to stop');
    return job === 'refresh' ? { skipped: false } : { stopped: ctx.signal.aborted };
  };
  const schedule: JobSpec[] = [
    { name: 'refresh', cron: '0 0 0 1 1 *', what: 'refresh', run: fake('refresh'), followedBy: (r) => ((r as { skipped: boolean }).skipped ? null : 'alerts') },
    { name: 'alerts', cron: '0 0 0 1 1 *', what: 'alerts', run: fake('alerts'), yieldsTo: ['refresh'] },
  ];
  const events = new DataEvents();
  const lease = { start: async () => true, stop: async () => undefined, held: () => true } as unknown as JobLeaseService;
  const jobs = new JobsService({ jobs: true } as AppConfig, { get: () => null } as unknown as ModuleRef, new SchedulerRegistry(), events, lease, schedule);
  jobs.onApplicationBootstrap();
  return { jobs, events, seen, gates };
}

/**
 * Lets refresh run `r` finish, then checks its follow-up evaluation (alerts gate `a`, the `i`-th job seen)
 * starts and ends without being asked to stop, and that the runner is idle after it.
 */
async function followUpRunsWhole(h: ReturnType<typeof harness>, r: number, a: number, i: number): Promise<void> {
  h.gates.refresh[r]!.open();
  await until(() => h.gates.alerts.length === a + 1);
  expect(h.seen[i]).toMatchObject({ job: 'alerts', abortedAtStart: false });
  h.gates.alerts[a]!.open();
  await until(() => !h.jobs.list().some((s) => s.running));
  expect(h.seen[i]!.abortedAtEnd).toBe(false);
}

let current: ReturnType<typeof harness> | null = null;
afterEach(async () => {
  await current?.jobs.onApplicationShutdown();
  current = null;
});

describe('a load asks a running alert evaluation to make way for its refresh', () => {
  it('the refresh follow-up in progress is asked to stop, and the new refresh is followed by an evaluation that is not', async () => {
    const h = (current = harness());
    const first = h.jobs.run('refresh');
    await until(() => h.gates.refresh.length === 1);
    h.gates.refresh[0]!.open();
    await until(() => h.gates.alerts.length === 1);
    // The follow-up evaluation runs; a load arrives (the runner waits 1 s for more files, then asks).
    h.events.emit({ type: 'data-loaded', inserted: 12 });
    await until(() => h.seen.length === 3);
    expect(h.seen[1]).toMatchObject({ job: 'alerts', abortedAtStart: false, abortedAtEnd: true });
    expect(h.seen[2]).toMatchObject({ job: 'refresh', abortedAtStart: false });
    expect((await first).lastStatus).toBe('ok');
    await followUpRunsWhole(h, 1, 1, 3);
    expect(h.jobs.list().find((s) => s.name === 'alerts')!.lastResult).toEqual({ stopped: false });
  });

  it('a follow-up that starts while the new refresh waits is asked to stop before it begins', async () => {
    const h = (current = harness());
    void h.jobs.run('refresh');
    await until(() => h.gates.refresh.length === 1);
    // The load arrives while the first refresh still runs: the second waits for the first and its follow-up.
    h.events.emit({ type: 'data-loaded', inserted: 12 });
    await new Promise((r) => setTimeout(r, 1_200));
    h.gates.refresh[0]!.open();
    await until(() => h.seen.length === 3);
    expect(h.seen[1]).toEqual({ job: 'alerts', abortedAtStart: true, abortedAtEnd: false });
    expect(h.seen[2]).toMatchObject({ job: 'refresh', abortedAtStart: false });
    await followUpRunsWhole(h, 1, 1, 3);
  });

  it('an evaluation of its own (the 10-minute tick) stops too, and the refresh does not join the stopped run', async () => {
    const h = (current = harness());
    const tick = h.jobs.run('alerts');
    await until(() => h.gates.alerts.length === 1);
    h.events.emit({ type: 'data-loaded', inserted: 12 });
    await until(() => h.seen.length === 2);
    expect(h.seen[0]).toMatchObject({ job: 'alerts', abortedAtEnd: true });
    expect(h.seen[1]).toMatchObject({ job: 'refresh' });
    expect((await tick).lastResult).toEqual({ stopped: true });
    await followUpRunsWhole(h, 0, 1, 2);
  });

  it('a run that does not yield is never asked (the refresh itself, a load while nothing runs)', async () => {
    const h = (current = harness());
    h.events.emit({ type: 'data-loaded', inserted: 12 });
    await until(() => h.gates.refresh.length === 1);
    h.events.emit({ type: 'data-loaded', inserted: 3 });
    await new Promise((r) => setTimeout(r, 1_200));
    h.gates.refresh[0]!.open();
    await until(() => h.seen.length === 3);
    expect(h.seen.map((s) => [s.job, s.abortedAtStart])).toEqual([['refresh', false], ['alerts', true], ['refresh', false]]);
    expect(h.seen[0]!.abortedAtEnd).toBe(false);
    h.gates.refresh[1]!.open();
    await until(() => h.gates.alerts.length === 2);
    h.gates.alerts[1]!.open();
    await until(() => !h.jobs.list().some((s) => s.running));
    expect(h.seen.map((s) => [s.job, s.abortedAtEnd])).toEqual([['refresh', false], ['alerts', false], ['refresh', false], ['alerts', false]]);
  });

  it('an evaluation that starts beside a load\u2019s refresh starts asked to stop; beside a refresh nobody loaded for, it does not', async () => {
    const h = (current = harness());
    h.events.emit({ type: 'data-loaded', inserted: 12 });
    await until(() => h.gates.refresh.length === 1);
    const tick = h.jobs.run('alerts');
    expect((await tick).lastResult).toEqual({ stopped: true });
    expect(h.seen[1]).toEqual({ job: 'alerts', abortedAtStart: true, abortedAtEnd: false });
    h.gates.refresh[0]!.open();
    await until(() => h.gates.alerts.length === 2);
    expect(h.seen[2]).toMatchObject({ job: 'alerts', abortedAtStart: false });
    h.gates.alerts[1]!.open();
    await until(() => !h.jobs.list().some((s) => s.running));
    // The schedule's own refresh tick (no load asked for it): an evaluation beside it runs as it would.
    void h.jobs.run('refresh');
    await until(() => h.gates.refresh.length === 2);
    void h.jobs.run('alerts');
    await until(() => h.gates.alerts.length === 3);
    expect(h.seen[4]).toMatchObject({ job: 'alerts', abortedAtStart: false });
    h.gates.alerts[2]!.open();
    await until(() => !h.jobs.list().find((x) => x.name === 'alerts')!.running);
    h.gates.refresh[1]!.open();
    await until(() => h.gates.alerts.length === 4);
    h.gates.alerts[3]!.open();
    await until(() => !h.jobs.list().some((s) => s.running));
    expect(h.seen.slice(3).map((x) => [x.job, x.abortedAtStart, x.abortedAtEnd])).toEqual([['refresh', false, false], ['alerts', false, false], ['alerts', false, false]]);
  });
});
