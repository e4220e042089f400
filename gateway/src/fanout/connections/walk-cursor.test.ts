import { compareKeys, memberKey } from './member-keys';
import { decodeWalkCursor, encodeWalkCursor, MAX_WALK_CURSOR } from './walk-cursor';

const raw = (body: unknown) => `n1.${Buffer.from(JSON.stringify(body)).toString('base64url')}`;

describe('walk cursors (untrusted input)', () => {
  it('round-trips a walk state', () => {
    const state = {
      field: 'servicesConnection',
      done: 'gamma',
      pending: new Map([
        ['alpha', null],
        ['beta', 'WyJ4Il0'],
      ]),
    };
    expect(decodeWalkCursor('servicesConnection', encodeWalkCursor(state))).toEqual(state);
  });

  it.each([
    ['another prefix', 'x1.e30'],
    ['not base64url JSON', 'n1.!!!'],
    ['an array body', raw([])],
    ['another field', raw({ f: 'incidentsConnection', d: '', p: [] })],
    ['a done that is not a member id', raw({ f: 'servicesConnection', d: 'ALPHA', p: [] })],
    ['a pending member after done', raw({ f: 'servicesConnection', d: 'alpha', p: [['beta', null]] })],
    [
      'a pending member twice',
      raw({
        f: 'servicesConnection',
        d: 'beta',
        p: [
          ['alpha', null],
          ['alpha', null],
        ],
      }),
    ],
    ['a position that is not a cursor', raw({ f: 'servicesConnection', d: 'beta', p: [['alpha', 'a b']] })],
    ['a position too long', raw({ f: 'servicesConnection', d: 'beta', p: [['alpha', 'A'.repeat(1025)]] })],
    ['a cursor too long', `n1.${'A'.repeat(MAX_WALK_CURSOR)}`],
  ])('refuses %s with BAD_USER_INPUT', (_name, cursor) => {
    expect(() => decodeWalkCursor('servicesConnection', cursor)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });
});

describe('member keys', () => {
  const c = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  it('reads key tuples and refuses anything else', () => {
    expect(memberKey(c([-1700000000000, 'a.b']))).toEqual([-1700000000000, 'a.b']);
    for (const bad of [c('x'), c([]), c([{}]), c([null]), c(Array(9).fill(1)), c(['x'.repeat(257)]), 'not!base64', 42]) expect(memberKey(bad)).toBeUndefined();
  });

  it('compares by code point and numerically, part by part', () => {
    expect(compareKeys(['a.b'], ['a_b'])).toBeLessThan(0);
    expect(compareKeys(['a_b'], ['ab'])).toBeLessThan(0);
    expect(compareKeys(['\uffff'], ['\u{10000}'])).toBeLessThan(0); // UTF-16 order would say otherwise
    expect(compareKeys([-5, 'b'], [-5, 'a'])).toBeGreaterThan(0);
    expect(compareKeys([-10, 'z'], [-5, 'a'])).toBeLessThan(0);
    expect(compareKeys(['a'], ['a', 'b'])).toBeNaN();
  });
});
