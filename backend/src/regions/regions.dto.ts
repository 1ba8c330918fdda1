import { ApiProperty } from '@nestjs/swagger';

export class RegionDto {
  @ApiProperty({ example: '220184', description: '6-digit code (229900-229903 are local extensions for 长白山)' })
  code!: string;

  @ApiProperty({ example: '公主岭市' })
  name!: string;

  @ApiProperty({ enum: ['province', 'unit', 'county'], description: 'province; reporting unit (市级); county-level unit (县级)' })
  level!: 'province' | 'unit' | 'county';

  @ApiProperty({ type: String, nullable: true, example: '220100', description: 'parent in the reporting tree' })
  parentCode!: string | null;

  @ApiProperty({ description: 'whether the map has a polygon for it (zones and 长白山 areas are markers)' })
  hasPolygon!: boolean;
}
