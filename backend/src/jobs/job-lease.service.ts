// Several app instances behind a balancer share one ClickHouse; exactly one
// of them runs the scheduled jobs: the holder of the `jobs` lease. The holder
// renews it every minute; when it stops renewing (crash, network), another
// instance takes over once the lease has expired. JOBS=off instances never
// ask for it.
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { JobLeaseRepository } from './job-lease.repository';

export const JOBS_LEASE = 'jobs';

export interface LeaseOptions {
  /** How long a claim lasts without renewal. */
  ttlMs: number;
  /** How often the holder renews (and a waiting instance tries to take over). */
  renewMs: number;
}

export const DEFAULT_LEASE: LeaseOptions = { ttlMs: 180_000, renewMs: 60_000 };

/**
 * A holder on this host whose process is gone (SIGKILL, a crash) cannot renew: its lease is free at
 * once, so a restarted instance runs its jobs now rather than after the lease expires. (A reused
 * pid only means waiting for the expiry, as before.)
 */
export function holderDied(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

@Injectable()
export class JobLeaseService {
  private readonly log = new Logger('JobLease');
  readonly holder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  /** Local deadline: we count the lease as ours until a little before its server-side expiry. */
  private heldUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private opts: LeaseOptions = DEFAULT_LEASE;
  private lastHeld = false;

  constructor(private readonly repo: JobLeaseRepository) {}

  /** Claims the lease if it is free, expired or already ours; renews it when ours. Never throws. */
  async tryAcquire(name = JOBS_LEASE): Promise<boolean> {
    const started = Date.now();
    try {
      const cur = await this.repo.current(name);
      if (cur && cur.alive && cur.holder !== this.holder && !holderDied(cur.holder)) return this.note(false);
      await this.repo.write(name, this.holder, this.opts.ttlMs);
      // Two instances may claim at once: the one the table keeps is the holder, as every instance reads it.
      const after = await this.repo.current(name);
      const mine = after?.holder === this.holder;
      // Keep a safety margin of one renewal period below the server-side expiry.
      if (mine) this.heldUntil = started + this.opts.ttlMs - this.opts.renewMs / 2;
      return this.note(mine);
    } catch (e) {
      this.log.warn(`lease check failed: ${e instanceof Error ? e.message : String(e)}`);
      return this.note(this.held());
    }
  }

  private note(held: boolean): boolean {
    if (!held) this.heldUntil = 0;
    if (held !== this.lastHeld) this.log.log(held ? `this instance (${this.holder}) now runs the scheduled jobs` : `another instance runs the scheduled jobs`);
    this.lastHeld = held;
    return held;
  }

  /** Whether this instance may run scheduled jobs now. */
  held(now = Date.now()): boolean {
    return this.heldUntil > now;
  }

  /** Claims now and keeps renewing (or trying to take over) every `renewMs`. */
  async start(opts: Partial<LeaseOptions> = {}): Promise<boolean> {
    this.opts = { ...DEFAULT_LEASE, ...opts };
    const got = await this.tryAcquire();
    this.timer = setInterval(() => void this.tryAcquire(), this.opts.renewMs);
    this.timer.unref();
    return got;
  }

  /** Stops renewing and gives the lease up, so another instance takes over at its next try. */
  async stop(name = JOBS_LEASE): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!this.held()) return;
    this.heldUntil = 0;
    try {
      const cur = await this.repo.current(name);
      if (cur?.holder === this.holder) await this.repo.write(name, this.holder, 0);
    } catch {
      // ClickHouse gone at shutdown: the lease simply expires.
    }
  }
}
