import { messagesOnPage } from './transcript-page';

describe('messagesOnPage', () => {
  it('holds at most limit messages', () => {
    expect(messagesOnPage([1, 1, 1, 1], 3, 100)).toBe(3);
  });

  it('ends before the message that would take its text past the budget, even when a later one would fit', () => {
    expect(messagesOnPage([40, 40, 30, 1], 10, 100)).toBe(2);
    expect(messagesOnPage([40, 60, 1], 10, 100)).toBe(2);
  });

  it('holds the first message however long, so that paging goes on', () => {
    expect(messagesOnPage([500, 1], 10, 100)).toBe(1);
  });

  it('holds nothing when no message follows', () => {
    expect(messagesOnPage([], 10, 100)).toBe(0);
  });
});
