import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsOptional, ValidateNested } from 'class-validator';
import { IsWireId } from './wire-values';

export class IdReference {
  @ApiProperty({ oneOf: [{ type: 'string', pattern: '^\\d{1,19}$' }, { type: 'integer', minimum: 0 }], example: '2' })
  @IsDefined() @IsWireId() id: string | number;
}

/** Exactly one of the two: the queue the chat goes back to, or the agent who takes it over. */
export class TransferChatRequest {
  @ApiPropertyOptional({ type: IdReference, description: 'the queue the chat waits in again' })
  @IsOptional() @ValidateNested() @Type(() => IdReference)
  queue?: IdReference;

  @ApiPropertyOptional({ type: IdReference, description: 'the agent who takes the chat over' })
  @IsOptional() @ValidateNested() @Type(() => IdReference)
  agent?: IdReference;
}
