import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class CreateDepartmentRequest {
  @ApiProperty({ example: 'Billing', maxLength: 100 }) @IsString() @Length(1, 100) name: string;
}

export class UpdateDepartmentRequest {
  @ApiPropertyOptional({ example: 'Billing and refunds', maxLength: 100 }) @IsOptional() @IsString() @Length(1, 100) name?: string;
}
