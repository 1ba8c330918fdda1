import { Module } from '@nestjs/common';
import { IngestModule } from './ingest.module';
import { PgSourceService } from './pg.source';

/** The provincial platform's PostgreSQL as a ledger source (SOURCE_PG_URL); `PgSourceService.pull()` is what the cron job calls. */
@Module({
  imports: [IngestModule],
  providers: [PgSourceService],
  exports: [PgSourceService],
})
export class PgSourceModule {}
