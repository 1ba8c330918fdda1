import { AggregatesAccess } from '../auth/access.decorator';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { buildJilinMap, type JilinMap } from './map.builder';

@ApiTags('map')
@Controller('api/map')
@AggregatesAccess()
export class MapController {
  @Get()
  // The map only changes with a release; let browsers and proxies keep it for an hour.
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOkResponse({
    description: '吉林省县级地图：60 个县区多边形（GeoJSON，属性 code/name/unitCode/unitName）、各报送单位边界线、无边界的开发区与长白山各区的标注点',
    schema: {
      type: 'object',
      required: ['counties', 'unitBorders', 'markers'],
      properties: {
        counties: { type: 'object', description: 'GeoJSON FeatureCollection, feature id = county code' },
        unitBorders: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              unitCode: { type: 'string', example: '220100' },
              lines: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'number' } } } },
            },
          },
        },
        markers: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              code: { type: 'string', example: '220171' },
              name: { type: 'string', example: '长春经济技术开发区' },
              unitCode: { type: 'string', example: '220100' },
              coord: { type: 'array', items: { type: 'number' }, example: [125.45, 43.9] },
            },
          },
        },
      },
    },
  })
  get(): JilinMap {
    return buildJilinMap();
  }
}
