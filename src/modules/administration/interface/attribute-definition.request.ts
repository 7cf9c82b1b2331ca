import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ATTRIBUTE_NAME, ATTRIBUTE_TYPES, MAX_ATTRIBUTE_LENGTH, type AttributeType } from '../domain/configuration';
import { WireBoolean } from '../../../platform/http/wire-boolean';
import { WireInt, WireList } from './admin-wire';

const SCOPES = ['activity', 'contact'] as const;

export class CreateAttributeDefinitionRequest {
  @ApiProperty({ enum: SCOPES, description: 'activity.customAttributes or the contact\'s customAttributes' }) @IsIn(SCOPES) scope: 'activity' | 'contact';
  @ApiProperty({ example: 'order_channel', description: 'a letter, then letters, digits or _ (64 at most)' })
  @IsString()
  @Matches(ATTRIBUTE_NAME, { message: '$property must start with a letter and hold letters, digits and _ (64 at most)' })
  name: string;
  @ApiProperty({ enum: ATTRIBUTE_TYPES }) @IsIn(ATTRIBUTE_TYPES) type: AttributeType;
  @ApiPropertyOptional({ type: [String], example: ['web', 'app', 'store'], description: 'the allowed values of an enum (XML: one <enumValues> element per value)' })
  @IsOptional()
  @WireList()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(MAX_ATTRIBUTE_LENGTH, { each: true })
  enumValues?: string[];
  @ApiPropertyOptional({ type: 'integer', default: 255, minimum: 1, maximum: MAX_ATTRIBUTE_LENGTH }) @IsOptional() @WireInt() @IsInt() @Min(1) @Max(MAX_ATTRIBUTE_LENGTH) maxLength?: number;
  @ApiPropertyOptional({ default: false, description: 'contact attributes only: starts may search customers on custom.<name>' })
  @IsOptional()
  @WireBoolean()
  @IsBoolean()
  searchable?: boolean;
}

/** Scope and name stay: stored activities and customers carry values under them. */
export class UpdateAttributeDefinitionRequest {
  @ApiPropertyOptional({ enum: ATTRIBUTE_TYPES }) @IsOptional() @IsIn(ATTRIBUTE_TYPES) type?: AttributeType;
  @ApiPropertyOptional({ type: [String], example: ['web', 'app', 'store', 'phone'], description: 'replaces the allowed values' })
  @IsOptional()
  @WireList()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(MAX_ATTRIBUTE_LENGTH, { each: true })
  enumValues?: string[];
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_ATTRIBUTE_LENGTH }) @IsOptional() @WireInt() @IsInt() @Min(1) @Max(MAX_ATTRIBUTE_LENGTH) maxLength?: number;
  @ApiPropertyOptional() @IsOptional() @WireBoolean() @IsBoolean() searchable?: boolean;
}
