import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class HomeTodoQueryDto {
  @ApiPropertyOptional({ example: '220102', description: 'a region inside your scope; default your scope’s root' })
  @IsOptional() @Matches(/^\d{6}$/, { message: '地区代码应为6位数字 / region must be 6 digits' }) region?: string;
  @ApiPropertyOptional({ example: '2022-09-30', description: 'default the campaign’s current day (GET /api/campaign)' })
  @IsOptional() @IsString() @MaxLength(10) asOf?: string;
}
