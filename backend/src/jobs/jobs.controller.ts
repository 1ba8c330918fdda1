import { AnyUser } from '../auth/access.decorator';
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { JobsService, type JobStatus } from './jobs.service';

@ApiTags('jobs')
@Controller('api/jobs')
@AnyUser()
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @ApiOperation({ summary: 'The schedule and each job’s last run (status, error, result)' })
  list(): JobStatus[] {
    return this.jobs.list();
  }
}
