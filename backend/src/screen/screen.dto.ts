// Request validation and the OpenAPI description of the screen endpoints.
// The response shapes themselves live in screen.types.ts (shared with the wall).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

export class ScreenCodeParamDto {
  @ApiProperty({ example: '220000', description: '220000 (全省) or a reporting unit code' })
  @Matches(/^\d{6}$/, { message: '地区代码应为6位数字 / region code must be 6 digits' })
  code!: string;
}

export class ScreenQueryDto {
  @ApiPropertyOptional({
    example: '2022-09-30',
    description: "the day to show; default: the server's today clamped into the campaign",
  })
  @IsOptional() @IsString()
  asOf?: string;
}

export class ScreenSceneDto {
  @ApiProperty({ enum: ['overview', 'units', 'lagging', 'focus', 'support'] }) id!: string;
  @ApiProperty({ example: 60 }) seconds!: number;
}

export class ScreenPlanDto {
  @ApiProperty({ type: [ScreenSceneDto] }) scenes!: ScreenSceneDto[];
  @ApiProperty({ example: 60, description: 'how long a touch or click pauses the rotation' }) pauseSeconds!: number;
}

export class ScreenPayloadDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: '{ code, name, level }' }) region!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) breadcrumb!: unknown[];
  @ApiProperty({ example: '2022-12-31' }) asOf!: string;
  @ApiProperty({ type: String, nullable: true, description: 'asOf − 7 days (base of the weekly change), null before the campaign' }) weekAgo!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '{ from, to }: the valid days' }) range!: Record<string, unknown>;
  @ApiProperty({ description: "today by the server's clock (Asia/Shanghai)" }) today!: string;
  @ApiProperty({ description: 'the server time of this response (ISO)' }) serverTime!: string;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: '{ job, source, at }: the latest failed pull of a data source, else null' })
  pullFailure!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, description: 'latest ledger time included (Asia/Shanghai)' }) dataTime!: string | null;
  @ApiProperty() computedAt!: string;
  @ApiProperty({ enum: ['snapshot', 'live'] }) source!: string;
  @ApiProperty({ description: 'the loaded data came from the generated demo' }) demo!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'days without new ledger data' }) staleDays!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'every metric of the region (as /api/metrics)' }) metrics!: Record<string, unknown>;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'the metrics as of weekAgo' }) previous!: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'per rate: target, path, value, gap, met' }) targets!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'units (province) or counties (unit) with metrics, ranks, rates behind' }) children!: unknown[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'every county-level unit on the map, by code' }) counties!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) trend!: unknown[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'received → contacted → jobSeekers → components[] → completed' }) funnel!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) hardship!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) help!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "every unit's quota status in the day's ISO week and month" }) recruitment!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'lagging counties with their reasons and gaps, worst first (at most 24)' }) lagging!: unknown[];
  @ApiProperty({ description: 'how many counties lag in all' }) laggingTotal!: number;
}
