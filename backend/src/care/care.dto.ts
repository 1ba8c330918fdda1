import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';

export class CareRegionQueryDto {
  @ApiProperty({ example: '220100', description: 'a region inside your scope' })
  @Matches(/^\d{6}$/, { message: '地区代码应为6位数字 / region must be 6 digits' }) region!: string;
  @ApiPropertyOptional({ example: '2022-09-30' }) @IsOptional() @IsString() asOf?: string;
  @ApiPropertyOptional({ enum: ['1'], description: 'open cases only' }) @IsOptional() @IsIn(['1']) open?: '1';
}

export class CarePersonQueryDto {
  @ApiPropertyOptional({ example: '2022-09-30' }) @IsOptional() @IsString() asOf?: string;
}
