import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { AVAILABILITIES, type Availability } from '../domain/configuration';
import { DisplayName, ID, WireInt, WireList } from './admin-wire';

const USERNAME = /^[A-Za-z0-9._@-]{1,100}$/;

export class CreateAgentRequest {
  @ApiProperty({ example: 'dave', description: 'letters, digits, . _ @ -' }) @IsString() @Matches(USERNAME, { message: '$property may hold letters, digits, ".", "_", "@" and "-"' }) username: string;
  @ApiProperty({ example: 'a-long-password', minLength: 8, writeOnly: true }) @IsString() @Length(8, 200) password: string;
  @ApiProperty({ example: 'Dave Agent', maxLength: 100 }) @DisplayName() displayName: string;
  @ApiProperty({ type: 'integer', example: 3, minimum: 1, maximum: 100, description: 'concurrent chats' }) @WireInt() @IsInt() @Min(1) @Max(100) maxChats: number;
  @ApiProperty({ type: [String], example: ['1'], description: 'queues the agent takes chats from (XML: one <queueIds> element per id)' })
  @WireList(true)
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(ID, { each: true, message: 'each of $property must be an id' })
  queueIds: string[];
  @ApiPropertyOptional({ enum: AVAILABILITIES, default: 'logged_out', description: 'a new agent has no session: anything but logged_out is 409 AgentNotLoggedIn' })
  @IsOptional()
  @IsIn(AVAILABILITIES)
  availability?: Availability;
}

/** The user name stays; everything else may change. */
export class UpdateAgentRequest {
  @ApiPropertyOptional({ minLength: 8, writeOnly: true }) @IsOptional() @IsString() @Length(8, 200) password?: string;
  @ApiPropertyOptional({ example: 'Dave A.', maxLength: 100 }) @IsOptional() @DisplayName() displayName?: string;
  @ApiPropertyOptional({ type: 'integer', example: 5, minimum: 1, maximum: 100 }) @IsOptional() @WireInt() @IsInt() @Min(1) @Max(100) maxChats?: number;
  @ApiPropertyOptional({ type: [String], example: ['1', '2'], description: 'replaces the agent\'s queues' })
  @IsOptional()
  @WireList(true)
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(ID, { each: true, message: 'each of $property must be an id' })
  queueIds?: string[];
  @ApiPropertyOptional({ enum: AVAILABILITIES, description: 'available or not_available only while the agent has a live session (else 409 AgentNotLoggedIn); logged_out ends its sessions' })
  @IsOptional()
  @IsIn(AVAILABILITIES)
  availability?: Availability;
}
