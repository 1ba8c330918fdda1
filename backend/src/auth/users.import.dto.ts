import { ApiProperty } from '@nestjs/swagger';
import { IsBase64, IsString, Matches, MaxLength } from 'class-validator';

export class UsersImportDto {
  @ApiProperty({ example: '账户清单.xlsx', description: 'the file name, for messages and the audit log only (never a path)' })
  @IsString() @MaxLength(200) @Matches(/^[^/\\\0]+$/, { message: '文件名不能含路径 / a file name, not a path' })
  fileName!: string;

  @ApiProperty({ description: 'the .xlsx file, base64 (at most ~180 KB: about 2,000 accounts)' })
  @IsString() @IsBase64(undefined, { message: '文件内容须为 base64 编码的 .xlsx / content must be a base64 .xlsx' }) @MaxLength(250_000)
  content!: string;
}
