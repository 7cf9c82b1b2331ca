import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import { WireBoolean } from '../../../platform/http/wire-boolean';
import { DisplayName, ID, WireId } from './admin-wire';

export class CreateEntryPointRequest {
  @ApiProperty({ example: '1' }) @WireId() @IsString() @Matches(ID, { message: '$property must be an id' }) departmentId: string;
  @ApiProperty({ example: '1', description: 'a queue of the same department' }) @WireId() @IsString() @Matches(ID, { message: '$property must be an id' }) queueId: string;
  @ApiProperty({ example: 'Mobile app chat', maxLength: 100 }) @DisplayName() name: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @WireBoolean() @IsBoolean() active?: boolean;
}

export class UpdateEntryPointRequest {
  @ApiPropertyOptional({ example: '1' }) @IsOptional() @WireId() @IsString() @Matches(ID, { message: '$property must be an id' }) departmentId?: string;
  @ApiPropertyOptional({ example: '1' }) @IsOptional() @WireId() @IsString() @Matches(ID, { message: '$property must be an id' }) queueId?: string;
  @ApiPropertyOptional({ example: 'Mobile app chat (beta)', maxLength: 100 }) @IsOptional() @DisplayName() name?: string;
  @ApiPropertyOptional() @IsOptional() @WireBoolean() @IsBoolean() active?: boolean;
}
