import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsOptional, ValidateNested } from 'class-validator';
import { IsWireId } from './wire-values';

export class IdReference {
  @IsDefined() @IsWireId() id: string | number;
}

/** Exactly one of the two: the queue the chat goes back to, or the agent who takes it over. */
export class TransferChatRequest {
  @ApiPropertyOptional({ example: { id: '2' } })
  @IsOptional() @ValidateNested() @Type(() => IdReference)
  queue?: IdReference;

  @ApiPropertyOptional({ example: { id: '3' } })
  @IsOptional() @ValidateNested() @Type(() => IdReference)
  agent?: IdReference;
}
