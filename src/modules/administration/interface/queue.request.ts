import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ASSIGNMENT_STRATEGIES } from '../../agent';
import { ID, WireId } from './admin-wire';

export class CreateQueueRequest {
  @ApiProperty({ example: '1' }) @WireId() @IsString() @Matches(ID, { message: '$property must be an id' }) departmentId: string;
  @ApiProperty({ example: 'Returns chat', maxLength: 100 }) @IsString() @Length(1, 100) name: string;
  @ApiPropertyOptional({ enum: ASSIGNMENT_STRATEGIES, description: 'ASSIGNMENT_DEFAULT_STRATEGY when absent' })
  @IsOptional()
  @IsIn(ASSIGNMENT_STRATEGIES)
  strategy?: string;
}

/** A queue stays in its department. */
export class UpdateQueueRequest {
  @ApiPropertyOptional({ example: 'Returns and refunds chat', maxLength: 100 }) @IsOptional() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional({ enum: ASSIGNMENT_STRATEGIES }) @IsOptional() @IsIn(ASSIGNMENT_STRATEGIES) strategy?: string;
}
