import { ApiProperty } from '@nestjs/swagger';
import { IsIn, ValidateBy } from 'class-validator';
import { SETTABLE_AVAILABILITIES, type SettableAvailability } from '../domain/agent-availability';

export class SetAvailabilityRequest {
  @ApiProperty({ enum: SETTABLE_AVAILABILITIES, example: 'available' })
  @IsIn(SETTABLE_AVAILABILITIES)
  availability: SettableAvailability;
}

/** XML carries numbers as text; JSON clients may send either. The range is the domain's rule. */
const IsWholeNumber = () =>
  ValidateBy({
    name: 'isWholeNumber',
    validator: {
      validate: (v: unknown) => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^\d{1,9}$/.test(v)),
      defaultMessage: () => '$property must be a whole number',
    },
  });

export class SetChatLimitRequest {
  @ApiProperty({ oneOf: [{ type: 'integer', minimum: 1, maximum: 100 }, { type: 'string', pattern: '^\\d{1,9}$' }], example: 3, description: 'How many chats the agent takes at once (1 to 100)' })
  @IsWholeNumber()
  maxChats: number | string;
}
