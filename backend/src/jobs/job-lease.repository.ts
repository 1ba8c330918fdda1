// SQL of the jobs lease (job_leases): who holds it and until when, by the
// ClickHouse server's clock so the app instances' clocks never disagree.
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';

export interface LeaseState {
  holder: string;
  /** The lease has not expired by the server's clock. */
  alive: boolean;
}

@Injectable()
export class JobLeaseRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  /** The lease's latest write (ties between two writers broken by holder, the same way on every reader), or null. */
  async current(name: string): Promise<LeaseState | null> {
    const rs = await this.ch.client.query({
      query: `SELECT t.1 AS holder, t.2 > now64(3, 'UTC') AS alive, n
              FROM (SELECT argMax(tuple(holder, expires), (updated_at, holder)) AS t, count() AS n FROM job_leases WHERE name = {name:String})`,
      query_params: { name },
      format: 'JSONEachRow',
      // A lease read must see the latest write on every replica (a no-op on a single server).
      clickhouse_settings: this.ch.cluster ? { select_sequential_consistency: '1' } : {},
    });
    const [r] = await rs.json<{ holder: string; alive: number | boolean; n: number }>();
    return r && Number(r.n) > 0 ? { holder: r.holder, alive: Boolean(Number(r.alive)) } : null;
  }

  /** Claims or renews the lease for `ttlMs` from now (server time). */
  async write(name: string, holder: string, ttlMs: number): Promise<void> {
    await this.ch.client.command({
      query: `INSERT INTO job_leases (name, holder, expires, updated_at)
              SELECT {name:String}, {holder:String}, now64(3, 'UTC') + toIntervalMillisecond({ttl:UInt32}), now64(6, 'UTC')`,
      query_params: { name, holder, ttl: ttlMs },
      clickhouse_settings: this.ch.cluster ? { insert_quorum: 'auto' } : {},
    });
  }
}
