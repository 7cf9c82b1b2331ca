import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { DisplayName } from './admin-wire';

export class CreateDepartmentRequest {
  @ApiProperty({ example: 'Billing', maxLength: 100 }) @DisplayName() name: string;
}

export class UpdateDepartmentRequest {
  @ApiPropertyOptional({ example: 'Billing and refunds', maxLength: 100 }) @IsOptional() @DisplayName() name?: string;
}
