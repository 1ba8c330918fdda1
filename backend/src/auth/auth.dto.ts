import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ToInt } from '../common/dto';

export class LoginDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) username!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) password!: string;
}

export class CreateUserDto {
  @ApiProperty() @IsString() @Matches(/^[A-Za-z0-9_.-]{3,32}$/) username!: string;
  @ApiProperty({ enum: ['admin', 'province', 'unit', 'county'] }) @IsIn(['admin', 'province', 'unit', 'county']) role!: 'admin' | 'province' | 'unit' | 'county';
  @ApiPropertyOptional({ example: '220100' }) @IsOptional() @Matches(/^\d{6}$/) region?: string;
  @ApiProperty() @IsString() @MaxLength(200) password!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) displayName?: string;
}

export class PasswordDto {
  @ApiProperty() @IsString() @MaxLength(200) password!: string;
}

export class UsernameParamDto {
  @ApiProperty() @Matches(/^[A-Za-z0-9_.-]{3,32}$/) username!: string;
}

export class ScreenTokenDto {
  @ApiProperty({ example: '省厅指挥大厅主屏' }) @IsString() @MinLength(1) @MaxLength(100) label!: string;
  @ApiProperty({ example: '220000' }) @Matches(/^\d{6}$/) region!: string;
}

export class TokenIdParamDto {
  @ApiProperty() @Matches(/^[0-9a-f]{12}$/) id!: string;
}

export class AuditQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) @Matches(/^[a-z.-]*$/) action?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) username?: string;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @ToInt() @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @ToInt() @IsInt() @Min(0) @Max(10_000_000) offset?: number;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'the password signed in with (for a new account: the initial one)' }) @IsString() @MinLength(1) @MaxLength(200) currentPassword!: string;
  @ApiProperty({ description: 'at least 10 characters, letters and digits, not containing the username' }) @IsString() @MinLength(1) @MaxLength(200) newPassword!: string;
}
