import { ApiProperty } from '@nestjs/swagger';

/** The API family's date member, `{"date": "<ISO 8601>"}`: one schema for every date of the OpenAPI document. */
export class DateValue {
  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:10:45.352Z' }) date: string;
}
