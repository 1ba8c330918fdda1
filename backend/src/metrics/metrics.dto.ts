import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

export class AsOfQueryDto {
  @ApiProperty({ example: '2022-09-30', description: 'the day (end of day, Asia/Shanghai); must lie within the campaign' })
  @IsOptional() @IsString()
  asOf?: string;
}

export class RegionCodeParamDto {
  @ApiProperty({ example: '220100' })
  @Matches(/^\d{6}$/, { message: '地区代码应为6位数字 / region code must be 6 digits' })
  code!: string;
}

export class RecruitmentQueryDto {
  @ApiPropertyOptional({ example: '2022-07-01' }) @IsOptional() @IsString() from?: string;
  @ApiPropertyOptional({ example: '2022-12-31' }) @IsOptional() @IsString() to?: string;
}

export class MetricsDto {
  @ApiProperty() region!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['province', 'unit', 'county'] }) level!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty() received!: number;
  @ApiProperty() pendingDistribution!: number;
  @ApiProperty() contacted!: number;
  @ApiProperty({ type: Number, nullable: true }) contactRate!: number | null;
  @ApiProperty() intentEmployment!: number;
  @ApiProperty() completed1311!: number;
  @ApiProperty({ type: Number, nullable: true }) rate1311!: number | null;
  @ApiProperty() employed!: number;
  @ApiProperty({ type: Number, nullable: true }) employmentRate!: number | null;
  @ApiProperty() hardship!: number;
  @ApiProperty() hardshipOneOnOne!: number;
  @ApiProperty() hardshipEmployed!: number;
  @ApiProperty() helpRequests!: number;
  @ApiProperty() helpContactedInSla!: number;
  @ApiProperty() helpOverdue!: number;
  @ApiProperty({ type: Number, nullable: true }) helpSlaRate!: number | null;
  @ApiProperty({ type: Number, nullable: true }) hardshipOneOnOneRate!: number | null;
}

export class MetricsResponseDto extends MetricsDto {
  @ApiProperty({ type: [MetricsDto] }) children!: MetricsDto[];
  @ApiProperty({ description: 'daily series from the campaign start to asOf', type: 'array', items: { type: 'object' } }) trend!: unknown[];
  @ApiProperty({ description: 'rank among siblings per rate (1 = best)', type: 'object', additionalProperties: true }) rank!: Record<string, unknown>;
  @ApiProperty({ description: 'target, path value on the day, gap per rate', type: 'object', additionalProperties: true }) targets!: Record<string, unknown>;
  @ApiProperty({ description: "this region's lag reasons", type: 'array', items: { type: 'object' } }) lagging!: unknown[];
  @ApiProperty({ description: 'children that lag, with reasons', type: 'array', items: { type: 'object' } }) laggingChildren!: unknown[];
  @ApiProperty({
    description: 'per targeted rate: { projectedEnd, onTrack, neededPerDay } — the rate projected to the campaign end from the last 14 days\' average daily gain (docs/metrics.md)',
    type: 'object', additionalProperties: true,
  }) forecast!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true, description: 'latest ledger time included (Asia/Shanghai)' }) dataTime!: string | null;
  @ApiProperty() computedAt!: string;
  @ApiProperty({ enum: ['snapshot', 'live'] }) source!: string;
}
