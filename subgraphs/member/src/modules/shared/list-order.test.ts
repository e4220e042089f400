import { decodeCursor, encodeCursor, keyTuple, type OrderKey } from './list-order';

const BY_ID: OrderKey[] = [{ property: 'id', direction: 'asc', type: 'text' }];
const NEWEST_FIRST: OrderKey[] = [
  { property: 'observedAt', direction: 'desc', type: 'datetime' },
  { property: 'id', direction: 'asc', type: 'text' },
];

describe('list order and member cursors', () => {
  it('carries the key tuple, a descending time negated so that every part compares ascending', () => {
    const older = { observedAt: new Date('2025-01-01T00:00:00Z'), id: 'b' };
    const newer = { observedAt: new Date('2025-03-01T00:00:00Z'), id: 'a' };
    expect(keyTuple(NEWEST_FIRST, newer)).toEqual([-Date.parse('2025-03-01T00:00:00Z'), 'a']);
    expect(keyTuple(NEWEST_FIRST, newer)[0]).toBeLessThan(keyTuple(NEWEST_FIRST, older)[0] as number);
    expect(decodeCursor(NEWEST_FIRST, encodeCursor(NEWEST_FIRST, older))).toEqual(keyTuple(NEWEST_FIRST, older));
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a b'],
    ['another order', encodeCursor(NEWEST_FIRST, { observedAt: new Date(0), id: 'x' })],
    ['a number for a text key', Buffer.from('[1]').toString('base64url')],
    ['a fraction for a time key', Buffer.from('[1.5,"x"]').toString('base64url')],
    ['a time beyond any date', Buffer.from('[1e16,"x"]').toString('base64url')],
    ['a text key too long', Buffer.from(JSON.stringify(['x'.repeat(257)])).toString('base64url')],
    ['too long', 'A'.repeat(1025)],
  ])('refuses a cursor that is %s with BAD_USER_INPUT', (_name, cursor) => {
    const order = _name === 'another order' ? BY_ID : _name.includes('time') ? NEWEST_FIRST : BY_ID;
    expect(() => decodeCursor(order, cursor)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });
});
