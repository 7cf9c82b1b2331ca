import { ApiProperty } from '@nestjs/swagger';

/** A reference by id in an answer, `{"id": "<digits>"}`: one schema for every such member of the OpenAPI document. */
export class IdValue {
  @ApiProperty({ pattern: '^\\d{1,19}$', example: '1001' }) id: string;
}
