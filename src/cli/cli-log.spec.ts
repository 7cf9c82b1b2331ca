import { errorText } from './cli-log';

describe('errorText', () => {
  it('masks the value MySQL quotes in a failed statement\'s message and keeps the key it names', () => {
    const text = errorText(new Error("Duplicate entry 'ada@example.com-0' for key 'ux_contact_point_key'"));
    expect(text).not.toContain('ada@example.com');
    expect(text).toContain("for key 'ux_contact_point_key'");
  });

  it('prints what is not an Error as text', () => {
    expect(errorText('connect ECONNREFUSED 127.0.0.1:3306')).toBe('connect ECONNREFUSED 127.0.0.1:3306');
  });
});
