import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { ASSIGNMENT_STRATEGIES } from '../../agent';
import { DisplayName, ID, WireId } from './admin-wire';

export class CreateQueueRequest {
  @ApiProperty({ example: '1' }) @WireId() @IsString() @Matches(ID, { message: '$property must be an id' }) departmentId: string;
  @ApiProperty({ example: 'Returns chat', maxLength: 100 }) @DisplayName() name: string;
  @ApiPropertyOptional({ enum: ASSIGNMENT_STRATEGIES, description: 'ASSIGNMENT_DEFAULT_STRATEGY when absent' })
  @IsOptional()
  @IsIn(ASSIGNMENT_STRATEGIES)
  strategy?: string;
}

/** A queue stays in its department. */
export class UpdateQueueRequest {
  @ApiPropertyOptional({ example: 'Returns and refunds chat', maxLength: 100 }) @IsOptional() @DisplayName() name?: string;
  @ApiPropertyOptional({ enum: ASSIGNMENT_STRATEGIES }) @IsOptional() @IsIn(ASSIGNMENT_STRATEGIES) strategy?: string;
}
