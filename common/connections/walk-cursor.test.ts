import { decodeWalkCursor, encodeWalkCursor, isMemberCursor, MAX_MEMBER_CURSOR, MAX_WALK_CURSOR, parseWalkCursor, startState } from './walk-cursor';

const raw = (body: unknown) => `n1.${Buffer.from(JSON.stringify(body)).toString('base64url')}`;

const refused: [string, unknown][] = [
  ['another prefix', 'x1.e30'],
  ['not base64url JSON', 'n1.!!!'],
  ['an array body', raw([])],
  ['a body without a field', raw({ d: '', p: [] })],
  ['a done that is not a member id', raw({ f: 'servicesConnection', d: 'ALPHA', p: [] })],
  ['a pending list that is not a list', raw({ f: 'servicesConnection', d: 'beta', p: { alpha: null } })],
  ['a pending entry that is not a pair', raw({ f: 'servicesConnection', d: 'beta', p: [['alpha']] })],
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
  ['a position too long', raw({ f: 'servicesConnection', d: 'beta', p: [['alpha', 'A'.repeat(MAX_MEMBER_CURSOR + 1)]] })],
  ['a cursor too long', `n1.${'A'.repeat(MAX_WALK_CURSOR)}`],
  ['not a string', 42],
];

describe('walk cursors (untrusted input)', () => {
  const state = {
    field: 'servicesConnection',
    done: 'gamma',
    pending: new Map([
      ['alpha', null],
      ['beta', 'WyJ4Il0'],
    ]),
  };

  it('round-trips a walk state', () => {
    expect(decodeWalkCursor('servicesConnection', encodeWalkCursor(state))).toEqual(state);
    expect(parseWalkCursor(encodeWalkCursor(state))).toEqual(state);
    expect(parseWalkCursor(encodeWalkCursor(startState('trainingsConnection')))).toEqual({ field: 'trainingsConnection', done: '', pending: new Map() });
  });

  it('writes the pending members in id order, so one state has one cursor', () => {
    const reordered = { ...state, pending: new Map([...state.pending].reverse()) };
    expect(encodeWalkCursor(reordered)).toBe(encodeWalkCursor(state));
  });

  it('refuses a cursor of another connection with BAD_USER_INPUT, though it parses', () => {
    const cursor = raw({ f: 'incidentsConnection', d: '', p: [] });
    expect(parseWalkCursor(cursor)?.field).toBe('incidentsConnection');
    expect(() => decodeWalkCursor('servicesConnection', cursor)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });

  it.each(refused)('refuses %s with BAD_USER_INPUT', (_name, cursor) => {
    expect(parseWalkCursor(cursor)).toBeUndefined();
    expect(() => decodeWalkCursor('servicesConnection', cursor as string)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });
});

describe('member cursors inside a walk', () => {
  it('are bounded base64url strings', () => {
    expect(isMemberCursor('WyJtYWlsIl0')).toBe(true);
    expect(isMemberCursor('A'.repeat(MAX_MEMBER_CURSOR))).toBe(true);
    for (const bad of ['', 'a b', 'a+b/', 'A'.repeat(MAX_MEMBER_CURSOR + 1), null, 7]) expect(isMemberCursor(bad)).toBe(false);
  });
});
