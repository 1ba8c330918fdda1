import { Module } from '@nestjs/common';
import { IngestController } from './ingest.controller';
import { IngestQueryService } from './ingest.query.service';
import { IngestRepository } from './ingest.repository';
import { IngestService } from './ingest.service';
import { InboxService } from './inbox.service';

@Module({
  controllers: [IngestController],
  providers: [IngestRepository, IngestService, IngestQueryService, InboxService],
  exports: [IngestService, IngestQueryService, IngestRepository, InboxService],
})
export class IngestModule {}
