import { Module } from '@nestjs/common';
import { IngestController } from './ingest.controller';
import { IngestQueryService } from './ingest.query.service';
import { IngestRepository } from './ingest.repository';
import { IngestService } from './ingest.service';

@Module({
  controllers: [IngestController],
  providers: [IngestRepository, IngestService, IngestQueryService],
  exports: [IngestService, IngestQueryService, IngestRepository],
})
export class IngestModule {}
