import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginRequest {
  @ApiProperty({ example: 'alice' }) @IsString() @MinLength(1) @MaxLength(100) username: string;
  @ApiProperty({ example: 'agent-password' }) @IsString() @MinLength(1) @MaxLength(200) password: string;
}
