import { Public } from '../auth/access.decorator';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { HealthRepository } from './health.repository';

export class HealthDto {
  @ApiProperty({ example: 'ok' }) status!: 'ok';
  @ApiProperty({ enum: ['embedded', 'server'] }) engine!: 'embedded' | 'server';
  @ApiProperty({ example: '26.7.2.1' }) clickhouseVersion!: string;
  @ApiProperty({ type: [String], example: ['001_regions.sql'] }) migrations!: string[];
}

@ApiTags('health')
@Controller('api/health')
@Public()
export class HealthController {
  constructor(private readonly repo: HealthRepository) {}

  @Get()
  @ApiOkResponse({ type: HealthDto })
  async health(): Promise<HealthDto> {
    const [clickhouseVersion, migrations] = await Promise.all([this.repo.version(), this.repo.migrations()]);
    return { status: 'ok', engine: this.repo.engine(), clickhouseVersion, migrations };
  }
}
