import fc from 'fast-check';
import { decodeNetworkCursor, encodeNetworkCursor, MAX_NETWORK_CURSOR } from './network-cursor';

describe('the network feed cursor (untrusted input)', () => {
  it('round-trips every member position', () => {
    const positions = new Map([
      ['alpha', 'c1.abc'],
      ['beta-2', 'c1.def'],
    ]);
    expect(decodeNetworkCursor(encodeNetworkCursor(positions))).toEqual(positions);
    expect(decodeNetworkCursor(null)).toEqual(new Map());
  });

  it.each([
    ['no prefix', Buffer.from('{"alpha":"c1.a"}').toString('base64url')],
    ['not JSON', 'n1.!!!'],
    ['a number as position', 'n1.' + Buffer.from('{"alpha":5}').toString('base64url')],
    ['a path as member id', 'n1.' + Buffer.from('{"../x":"c1.a"}').toString('base64url')],
    ['an empty position', 'n1.' + Buffer.from('{"alpha":""}').toString('base64url')],
    ['an array', 'n1.' + Buffer.from('["alpha"]').toString('base64url')],
    ['a position too long', 'n1.' + Buffer.from(JSON.stringify({ alpha: 'x'.repeat(3000) })).toString('base64url')],
    ['a cursor too long', 'n1.' + 'A'.repeat(MAX_NETWORK_CURSOR)],
  ])('refuses %s with INVALID_CURSOR', (_, cursor) => {
    expect(() => decodeNetworkCursor(cursor)).toThrow(expect.objectContaining({ extensions: { code: 'INVALID_CURSOR' } }));
  });

  it('never throws anything but INVALID_CURSOR on any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `n1.${s}`),
          fc.json().map((j) => `n1.${Buffer.from(j).toString('base64url')}`),
        ),
        (cursor) => {
          try {
            const positions = decodeNetworkCursor(cursor);
            for (const [member, position] of positions) expect([typeof member, typeof position]).toEqual(['string', 'string']);
          } catch (err) {
            expect((err as { extensions?: { code?: string } }).extensions?.code).toBe('INVALID_CURSOR');
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
