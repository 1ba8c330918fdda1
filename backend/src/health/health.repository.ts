import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { MigrationsRepository } from '../clickhouse/migrations.repository';

@Injectable()
export class HealthRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  engine(): 'embedded' | 'server' {
    return this.ch.engine;
  }

  async version(): Promise<string> {
    const rs = await this.ch.client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
    const [row] = await rs.json<{ v: string }>();
    return row?.v ?? 'unknown';
  }

  async migrations(): Promise<string[]> {
    return (await new MigrationsRepository(this.ch).applied()).map((m) => m.name);
  }
}
