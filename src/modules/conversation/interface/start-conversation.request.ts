import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsObject, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { MaxCharacters } from '../../../platform/http/character-length';
import { WireBoolean } from '../../../platform/http/wire-boolean';
import { IsWireId, IsWireText } from './wire-values';

/**
 * The start request as clients of this API family send it (JSON, or XML mapped onto the
 * same shape). Structure and types are checked here; the rules of the contract are
 * checked by StartConversationCommand and the use case.
 */
export class IdRef {
  @ApiProperty({ oneOf: [{ type: 'string', pattern: '^\\d{1,19}$' }, { type: 'integer', minimum: 0 }], example: '1001' }) @IsDefined() @IsWireId() id: string | number;
}

/** Named apart from the configuration answer's classes: the OpenAPI document keys its schemas by class name. */
class StartLastModified {
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z' }) @IsString() @MaxLength(40) date: string;
}

class StartEntryPointConfiguration {
  @ApiProperty({ type: IdRef }) @IsDefined() @IsObject() @ValidateNested() @Type(() => IdRef) entryPoint: IdRef;
  @ApiProperty({ type: StartLastModified }) @IsDefined() @IsObject() @ValidateNested() @Type(() => StartLastModified) lastModified: StartLastModified;
}

class AttribValue {
  @ApiProperty() @IsDefined() @IsWireText() value: string;
}

class AttribValues {
  @ApiProperty({ type: [AttribValue] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => AttribValue) attribValue: AttribValue[];
}

export class CustomAttribute {
  @ApiProperty({ example: 'order_channel', minLength: 1, maxLength: 64 }) @IsString() @Length(1, 64) attribName: string;
  @ApiProperty({ type: AttribValues }) @IsDefined() @IsObject() @ValidateNested() @Type(() => AttribValues) attribValues: AttribValues;
}

export class CustomAttributes {
  @ApiProperty({ type: [CustomAttribute] }) @IsArray() @ArrayMaxSize(100) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => CustomAttribute) customAttribute: CustomAttribute[];
}

class ClientInfo {
  // The bounds below are rules of StartConversationCommand (400-136), stated here for the document.
  @ApiPropertyOptional({ oneOf: [{ type: 'string', pattern: '^[+-]?\\d{1,4}$' }, { type: 'integer', minimum: -9999, maximum: 9999 }], example: '-300', description: 'whole minutes from UTC' })
  @IsOptional()
  @IsWireText()
  timeOffset?: string | number;
  @ApiPropertyOptional({ maxLength: 2048 }) @IsOptional() @IsWireText() referrerName?: string;
  @ApiPropertyOptional({ maxLength: 2048, description: 'an http or https URL' }) @IsOptional() @IsWireText() referrerURL?: string;
  @ApiPropertyOptional({
    oneOf: [{ type: 'string', enum: ['true', 'false'] }, { type: 'boolean' }],
    example: 'true',
    default: 'true',
    description: 'in XML, xsd:boolean: true, false, 1 or 0',
  })
  @IsOptional()
  @WireBoolean()
  @IsWireText()
  isRichTextSupported?: string | boolean;
}

class ChatPayload {
  @ApiPropertyOptional({ type: ClientInfo }) @IsOptional() @IsObject() @ValidateNested() @Type(() => ClientInfo) clientInfo?: ClientInfo;
}

class Payload {
  @ApiPropertyOptional({ type: ChatPayload }) @IsOptional() @IsObject() @ValidateNested() @Type(() => ChatPayload) chat?: ChatPayload;
}

class PhoneType {
  @ApiProperty({ enum: ['home', 'mobile', 'office'] }) @IsIn(['home', 'mobile', 'office']) value: string;
}

class SocialType {
  @ApiProperty({ enum: ['facebook', 'twitter', 'instagram'] }) @IsIn(['facebook', 'twitter', 'instagram']) value: string;
}

/** Only individual customers are supported: one contact person each. */
class CustomerType {
  @ApiProperty({ enum: ['individual'] }) @IsIn(['individual']) value: string;
}

class Email {
  @ApiProperty() @IsString() @MaxCharacters(255) emailAddress: string;
}

class Phone {
  @ApiProperty({ type: PhoneType }) @IsDefined() @IsObject() @ValidateNested() @Type(() => PhoneType) type: PhoneType;
  @ApiProperty() @IsWireText(64) phoneNo: string;
}

class Social {
  @ApiProperty({ type: SocialType }) @IsDefined() @IsObject() @ValidateNested() @Type(() => SocialType) type: SocialType;
  @ApiProperty() @IsWireText(255) socialId: string;
}

export class Contact {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxCharacters(255) firstName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxCharacters(255) lastName?: string;
  @ApiPropertyOptional({ type: [Email] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => Email) email?: Email[];
  @ApiPropertyOptional({ type: [Phone] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => Phone) phone?: Phone[];
  @ApiPropertyOptional({ type: [Social] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => Social) social?: Social[];
  @ApiPropertyOptional() @IsOptional() @IsWireText(255) externalId?: string;
  @ApiPropertyOptional({ type: CustomAttributes }) @IsOptional() @IsObject() @ValidateNested() @Type(() => CustomAttributes) customAttributes?: CustomAttributes;
}

class Contacts {
  @ApiProperty({ type: [Contact] }) @IsArray() @ArrayMaxSize(20) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => Contact) contact: Contact[];
}

class Customer {
  @ApiPropertyOptional({ type: CustomerType }) @IsOptional() @IsObject() @ValidateNested() @Type(() => CustomerType) type?: CustomerType;
  @ApiProperty({ type: Contacts }) @IsDefined() @IsObject() @ValidateNested() @Type(() => Contacts) contacts: Contacts;
}

class Activity {
  @ApiPropertyOptional({ example: 'Order 1234 did not arrive', minLength: 1, maxLength: 255, description: 'plain text: no markup, no control character (400-121)' }) @IsOptional() @IsString() subject?: string;
  @ApiPropertyOptional({ type: Payload }) @IsOptional() @IsObject() @ValidateNested() @Type(() => Payload) payload?: Payload;
  @ApiPropertyOptional({ type: IdRef }) @IsOptional() @IsObject() @ValidateNested() @Type(() => IdRef) case?: IdRef;
  @ApiPropertyOptional({ type: CustomAttributes }) @IsOptional() @IsObject() @ValidateNested() @Type(() => CustomAttributes) customAttributes?: CustomAttributes;
  @ApiPropertyOptional({ type: Customer }) @IsOptional() @IsObject() @ValidateNested() @Type(() => Customer) customer?: Customer;
}

export class StartConversationRequest {
  @ApiProperty({ type: StartEntryPointConfiguration }) @IsDefined() @IsObject() @ValidateNested() @Type(() => StartEntryPointConfiguration) entryPointConfiguration: StartEntryPointConfiguration;
  @ApiPropertyOptional({ type: Activity }) @IsOptional() @IsObject() @ValidateNested() @Type(() => Activity) activity?: Activity;
}
