import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { CLIENT_APPLICATION_TYPES } from '../../client-application';
import { CALLBACK_FORMATS, type CallbackFormat } from '../domain/configuration';
import { DisplayName, ID, WireList } from './admin-wire';

const CLIENT_ID = /^[A-Za-z0-9._-]{3,64}$/;
const URL_RULES = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
/** An empty XML element or JSON null clears the callback URL. */
const ClearableUrl = () => Transform(({ value }) => (value === '' ? null : value));

export class CreateClientApplicationRequest {
  @ApiProperty({ example: 'Mobile app', maxLength: 100 }) @DisplayName() name: string;
  @ApiProperty({ enum: CLIENT_APPLICATION_TYPES, description: 'only chat applications may start conversations' }) @IsIn(CLIENT_APPLICATION_TYPES) type: string;
  @ApiPropertyOptional({ example: 'mobile-app', description: 'generated when absent' })
  @IsOptional()
  @IsString()
  @Matches(CLIENT_ID, { message: '$property must be 3 to 64 letters, digits, ".", "_" or "-"' })
  clientId?: string;
  @ApiProperty({ type: [String], example: ['1001'], description: 'entry points the application may use (XML: one <entryPointIds> element per id)' })
  @WireList(true)
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(ID, { each: true, message: 'each of $property must be an id' })
  entryPointIds: string[];
  @ApiPropertyOptional({ type: 'string', maxLength: 2048, example: 'https://app.example/chat-events', description: 'webhook callback URL' })
  @IsOptional()
  @ClearableUrl()
  @MaxLength(2048)
  @IsUrl(URL_RULES)
  callbackUrl?: string | null;
  @ApiPropertyOptional({ enum: CALLBACK_FORMATS, default: 'json' }) @IsOptional() @IsIn(CALLBACK_FORMATS) callbackFormat?: CallbackFormat;
}

/** The client id stays; the secret changes through POST .../clientapplications/{id}/secret. */
export class UpdateClientApplicationRequest {
  @ApiPropertyOptional({ example: 'Mobile app (iOS and Android)', maxLength: 100 }) @IsOptional() @DisplayName() name?: string;
  @ApiPropertyOptional({ enum: CLIENT_APPLICATION_TYPES }) @IsOptional() @IsIn(CLIENT_APPLICATION_TYPES) type?: string;
  @ApiPropertyOptional({ type: [String], example: ['1001', '1002'], description: 'replaces the application\'s entry points' })
  @IsOptional()
  @WireList(true)
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(ID, { each: true, message: 'each of $property must be an id' })
  entryPointIds?: string[];
  @ApiPropertyOptional({ type: 'string', maxLength: 2048, example: 'https://app.example/chat-events', description: 'an empty string clears it (null, as everywhere in this API, means the member is absent)' })
  @IsOptional()
  @ClearableUrl()
  @MaxLength(2048)
  @IsUrl(URL_RULES)
  callbackUrl?: string | null;
  @ApiPropertyOptional({ enum: CALLBACK_FORMATS }) @IsOptional() @IsIn(CALLBACK_FORMATS) callbackFormat?: CallbackFormat;
}
