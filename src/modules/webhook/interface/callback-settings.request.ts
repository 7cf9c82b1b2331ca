import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { NullClears } from '../../../platform/http/validate-body';
import { CALLBACK_AUTH_TYPES, CALLBACK_FORMATS } from '../domain/callback-settings';

class CallbackAuthenticationRequest {
  @ApiProperty({ enum: CALLBACK_AUTH_TYPES }) @IsIn(CALLBACK_AUTH_TYPES) type: string;
  @ApiPropertyOptional({ description: 'basic' }) @IsOptional() @IsString() @MaxLength(200) username?: string;
  @ApiPropertyOptional({ description: 'basic; leave out to keep the stored one' }) @IsOptional() @IsString() @MaxLength(500) password?: string;
  @ApiPropertyOptional({ description: 'oauth2' }) @IsOptional() @IsString() @MaxLength(2048) tokenUrl?: string;
  @ApiPropertyOptional({ description: 'oauth2' }) @IsOptional() @IsString() @MaxLength(255) clientId?: string;
  @ApiPropertyOptional({ description: 'oauth2; leave out to keep the stored one' }) @IsOptional() @IsString() @MaxLength(500) clientSecret?: string;
  @ApiPropertyOptional({ description: 'oauth2' }) @IsOptional() @IsString() @MaxLength(500) scope?: string;
}

/** `PUT .../callback`: JSON as below, or XML with root element `callback`. */
export class ChangeCallbackSettingsRequest {
  @ApiProperty({ type: 'string', maxLength: 2048, example: 'https://receiver.example/chat-events', nullable: true, description: 'null removes the callback' })
  @NullClears()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(2048)
  url: string | null;

  @ApiPropertyOptional({ enum: CALLBACK_FORMATS, default: 'json' }) @IsOptional() @IsIn(CALLBACK_FORMATS) format?: string;

  @ApiPropertyOptional({ type: CallbackAuthenticationRequest })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CallbackAuthenticationRequest)
  authentication?: CallbackAuthenticationRequest;
}
