import { AppError } from '../../../platform/errors/app-error';
import type { ErrorKind } from '../../../platform/errors/error-catalogue';
import type { ContactPerson } from '../../customer/domain';
import { StartConversationCommand, checkCustomerModeParameters, type StartConversationInput } from './start-conversation.command';

const contact = (extra: Partial<ContactPerson> = {}): ContactPerson => ({
  firstName: 'Ada', emails: ['ada@example.com'], phones: [], socials: [], customAttributes: [], ...extra,
});

const anonymous = (extra: Partial<StartConversationInput> = {}): StartConversationInput => ({
  anonymousCustomer: true, sendTypingNotification: false, entryPointId: '1001', lastModified: '2026-01-05T10:00:00.000Z', customAttributes: [], ...extra,
});

const identified = (extra: Partial<StartConversationInput> = {}): StartConversationInput => ({
  ...anonymous(), anonymousCustomer: false, searchContactOnAttribute: 'email.emailAddress', customer: { type: 'individual', contacts: [contact()] }, ...extra,
});

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const kindOf = (input: StartConversationInput): ErrorKind => refusal(() => StartConversationCommand.create(input)).kind;

describe('StartConversationCommand', () => {
  it('makes an anonymous command with the defaults', () => {
    const command = StartConversationCommand.create(anonymous());
    expect(command.mode).toEqual({ kind: 'anonymous' });
    expect(command.typingNotifications).toBe(false);
    expect(command.clientInfo.richText).toBe(true);
    expect(command.subject).toBeUndefined();
    expect(command.lastModified.toISOString()).toBe('2026-01-05T10:00:00.000Z');
  });

  it('makes an identified command carrying the profile and the conversation contact', () => {
    const phones = [{ type: 'home', number: '+1 555 0100' }, { type: 'mobile', number: '+1 555 0199' }];
    const command = StartConversationCommand.create(identified({
      conversationContact: 'mobile.phone', sendTypingNotification: true, caseId: '1200',
      customer: { type: 'individual', contacts: [contact({ phones })] },
    }));
    expect(command.mode).toEqual({
      kind: 'identified', searchAttribute: 'email.emailAddress', searchKey: 'ada@example.com',
      conversationContact: { attribute: 'mobile.phone', value: '+1 555 0199' },
      profile: { type: 'individual', contact: contact({ phones }) },
    });
    expect(command.caseId).toBe('1200');
    expect(command.typingNotifications).toBe(true);
  });

  it("carries the searched value's lookup key, normalized as the customer's search and the throttle key it", () => {
    const command = StartConversationCommand.create(identified({
      searchContactOnAttribute: 'mobile.phone',
      customer: { type: 'individual', contacts: [contact({ phones: [{ type: 'home', number: '+1 555 0100' }, { type: 'mobile', number: '+44 (0)20 7946-0000' }] })] },
    }));
    expect(command.mode.kind === 'identified' && command.mode.searchKey).toBe('+442079460000');
  });

  describe('customer mode', () => {
    it.each([
      ['neither mode', { anonymousCustomer: false, searchContactOnAttribute: undefined }, 'ConversationModeMissing'],
      ['both modes', { anonymousCustomer: true }, 'ConversationModeConflict'],
      ['conversationContact when anonymous', { anonymousCustomer: true, searchContactOnAttribute: undefined, customer: undefined, conversationContact: 'email.emailAddress' }, 'ConversationContactNotAllowed'],
      ['a customer when anonymous', { anonymousCustomer: true, searchContactOnAttribute: undefined }, 'CustomerNotAllowed'],
      ['no customer with a search', { customer: undefined }, 'CustomerRequired'],
      ['an attribute that is not a contact attribute', { searchContactOnAttribute: 'email' }, 'InvalidParameterValue'],
      ['no contact person', { customer: { type: 'individual', contacts: [] } }, 'ContactCountInvalid'],
      ['two contact persons', { customer: { type: 'individual', contacts: [contact(), contact()] } }, 'ContactCountInvalid'],
      ['no value for the search attribute', { searchContactOnAttribute: 'social.twitterId' }, 'SearchAttributeMissing'],
      ['a blank value for the search attribute', { customer: { type: 'individual', contacts: [contact({ emails: ['  '] })] } }, 'SearchAttributeMissing'],
      ['no value for the conversation contact', { conversationContact: 'office.phone' }, 'ConversationContactMissing'],
      ['externalId as conversation contact', { conversationContact: 'externalId' }, 'InvalidParameterValue'],
      ['a case when anonymous', { anonymousCustomer: true, searchContactOnAttribute: undefined, customer: undefined, caseId: '1200' }, 'CaseNotAllowedForAnonymous'],
    ] as const)('refuses %s', (_name, change, kind) => {
      expect(kindOf(identified(change as Partial<StartConversationInput>))).toBe(kind);
    });

    it('checks the query parameters on their own, as the query parser does before the body', () => {
      expect(checkCustomerModeParameters({ anonymousCustomer: true })).toBe('anonymous');
      expect(checkCustomerModeParameters({ anonymousCustomer: false, searchContactOnAttribute: 'externalId', conversationContact: 'home.phone' })).toBe('identified');
      expect(refusal(() => checkCustomerModeParameters({ anonymousCustomer: false })).kind).toBe('ConversationModeMissing');
    });

    it('searches custom attributes by name and finds their first value', () => {
      const customer = { type: 'individual', contacts: [contact({ customAttributes: [{ name: 'loyalty_id', values: ['', 'L-1', 'L-2'] }] })] };
      const command = StartConversationCommand.create(identified({ searchContactOnAttribute: 'custom.loyalty_id', customer }));
      expect(command.mode.kind === 'identified' && command.mode.searchAttribute).toBe('custom.loyalty_id');
    });
  });

  describe('lastModified', () => {
    it.each([
      ['2026-01-05T10:00:00Z', '2026-01-05T10:00:00.000Z'],
      ['2026-01-05T10:00Z', '2026-01-05T10:00:00.000Z'],
      ['2026-01-05T11:00:00.000+01:00', '2026-01-05T10:00:00.000Z'],
      ['2026-01-05T05:30:00-0430', '2026-01-05T10:00:00.000Z'],
      ['2026-01-05T10:00:00.123456789Z', '2026-01-05T10:00:00.123Z'],
      ['2026-01-05t10:00:00z', '2026-01-05T10:00:00.000Z'],
      ['2028-02-29T10:00:00Z', '2028-02-29T10:00:00.000Z'],
    ])('reads %s as an instant', (value, iso) => {
      expect(StartConversationCommand.create(anonymous({ lastModified: value })).lastModified.toISOString()).toBe(iso);
    });

    it.each(['', 'yesterday', '2026-01-05', '2026-01-05T10:00:00', '2026-02-30T10:00:00Z', '2027-02-29T10:00:00Z', '2026-13-01T10:00:00Z',
      '2026-01-05T24:00:00Z', '2026-01-05T10:60:00Z', '2026-01-05T10:00:60Z', '2026-01-05T10:00:00+24:00', '2026-01-05T10:00:00+01', '1767607200000',
    ])('refuses %p', (value) => {
      const err = refusal(() => StartConversationCommand.create(anonymous({ lastModified: value })));
      expect(err.kind).toBe('BodyInvalid');
      expect(err.details).toBe('entryPointConfiguration.lastModified.date');
    });
  });

  describe('subject', () => {
    it.each([['', 'empty'], ['x'.repeat(256), 'too long'], ['a\u0000b', 'control'], ['line\u001bbreak', 'escape'], ['next\u0085line', 'C1 control'], ['a\u009fb', 'C1 control'], ['<script>x</script>', 'markup'], ['hi </b>', 'closing tag'], ['<!-- c -->', 'comment'], ['<?xml-stylesheet href="x"?>', 'processing instruction']])(
      'refuses %p (%s)', (subject) => {
        expect(kindOf(anonymous({ subject }))).toBe('SubjectInvalid');
      },
    );

    it.each(['x', 'x'.repeat(255), '\u{1F600}'.repeat(255), 'a < b and c > d', 'Tab\tand\nnew line', 'Order #1234: 50% off?', 'Caf\u00e9 \u00a0 \u00a1'])('accepts %p', (subject) => {
      expect(StartConversationCommand.create(anonymous({ subject })).subject).toBe(subject);
    });
  });

  describe('client info', () => {
    it.each([
      [{ isRichTextSupported: 'false' }, false],
      [{ isRichTextSupported: 'true' }, true],
      [{}, true],
    ])('reads isRichTextSupported from %p', (clientInfo, richText) => {
      expect(StartConversationCommand.create(anonymous({ clientInfo })).clientInfo.richText).toBe(richText);
    });

    it.each([
      ['isRichTextSupported', 'yes'], ['isRichTextSupported', 'False'], ['isRichTextSupported', ''],
      ['timeOffset', '+1h'], ['timeOffset', '12345'], ['timeOffset', ''],
      ['referrerURL', 'ftp://x.example/'], ['referrerURL', 'not a url'], ['referrerURL', `https://x.example/${'a'.repeat(2048)}`],
      ['referrerName', 'a\u0007b'], ['referrerName', 'a\u0085b'], ['referrerName', 'n'.repeat(2049)],
    ])('refuses %s = %p', (field, value) => {
      const err = refusal(() => StartConversationCommand.create(anonymous({ clientInfo: { [field]: value } })));
      expect(err.kind).toBe('ClientInfoInvalid');
      expect(err.details).toBe(`activity.payload.chat.clientInfo.${field}`);
    });

    it('counts referrerName and referrerURL in code points, as the document states their 2048 characters', () => {
      const clientInfo = { referrerName: '\u{1F600}'.repeat(2048), referrerURL: `https://x.example/${'\u{1F600}'.repeat(2030)}` };
      expect(StartConversationCommand.create(anonymous({ clientInfo })).clientInfo.referrerName).toBe(clientInfo.referrerName);
      expect(kindOf(anonymous({ clientInfo: { referrerName: '\u{1F600}'.repeat(2049) } }))).toBe('ClientInfoInvalid');
    });

    it('keeps the values it accepted', () => {
      const clientInfo = { timeOffset: '-300', referrerName: 'Shop', referrerURL: 'https://shop.example/help', isRichTextSupported: 'false' };
      expect(StartConversationCommand.create(anonymous({ clientInfo })).clientInfo).toEqual({ timeOffset: '-300', referrerName: 'Shop', referrerURL: 'https://shop.example/help', richText: false });
    });
  });
});
