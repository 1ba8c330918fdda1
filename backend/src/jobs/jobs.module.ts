import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { JobLeaseRepository } from './job-lease.repository';
import { JobLeaseService } from './job-lease.service';

@Module({
  imports: [ScheduleModule.forRoot()],
  controllers: [JobsController],
  providers: [JobsService, JobLeaseService, JobLeaseRepository],
  exports: [JobsService, JobLeaseService],
})
export class JobsModule {}
