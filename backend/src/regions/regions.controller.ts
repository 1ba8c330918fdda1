import { AggregatesAccess } from '../auth/access.decorator';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RegionsService } from './regions.service';
import { RegionDto } from './regions.dto';

@ApiTags('regions')
@Controller('api/regions')
@AggregatesAccess()
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get()
  @ApiOperation({ summary: 'The reporting tree: 1 province, 11 units, 72 county-level units (220581 appears as unit and as county)' })
  @ApiOkResponse({ type: RegionDto, isArray: true })
  list(): Promise<RegionDto[]> {
    return this.regions.list();
  }
}
