import { GENERIC_MEMBER_ERROR, memberErrors } from './member-errors';

describe('memberErrors', () => {
  it('names the member that answered, whatever member the error named', () => {
    const [e] = memberErrors([{ message: 'm', extensions: { code: 'FORBIDDEN', member: 'beta' } }], 'alpha', new Map());
    expect(e).toEqual({ message: 'm', extensions: { code: 'FORBIDDEN', member: 'alpha' } });
  });

  it("keeps only codes from the allow-list: a member cannot claim the gateway's codes", () => {
    const out = memberErrors(
      [
        { message: 'a', extensions: { code: 'MEMBER_UNAVAILABLE', member: 'beta', reason: 'timeout' } },
        { message: 'b', extensions: { code: 'FOREIGN_RECORD_DROPPED' } },
        { message: 'c', extensions: { code: { nested: true } } },
        { message: 'd' },
        { message: 'e', extensions: { code: 'BAD_USER_INPUT', fields: ['x: bad'], stacktrace: ['secret'] } },
      ],
      'alpha',
      new Map(),
    );
    expect(out.map((e) => e.extensions)).toEqual([
      { code: GENERIC_MEMBER_ERROR, member: 'alpha' },
      { code: GENERIC_MEMBER_ERROR, member: 'alpha' },
      { code: GENERIC_MEMBER_ERROR, member: 'alpha' },
      { code: GENERIC_MEMBER_ERROR, member: 'alpha' },
      { code: 'BAD_USER_INPUT', member: 'alpha', fields: ['x: bad'] },
    ]);
  });

  it("passes on a CONFLICT's current version only when it is a positive integer or null", () => {
    const out = memberErrors(
      [
        { message: 'a', extensions: { code: 'CONFLICT', currentVersion: 7 } },
        { message: 'b', extensions: { code: 'CONFLICT', currentVersion: null } },
        { message: 'c', extensions: { code: 'CONFLICT', currentVersion: '<script>' } },
        { message: 'd', extensions: { code: 'CONFLICT', currentVersion: -1 } },
        { message: 'e', extensions: { code: 'FORBIDDEN', currentVersion: 3 } },
      ],
      'alpha',
      new Map(),
    );
    expect(out.map((e) => e.extensions)).toEqual([
      { code: 'CONFLICT', member: 'alpha', currentVersion: 7 },
      { code: 'CONFLICT', member: 'alpha', currentVersion: null },
      { code: 'CONFLICT', member: 'alpha' },
      { code: 'CONFLICT', member: 'alpha' },
      { code: 'FORBIDDEN', member: 'alpha' },
    ]);
  });

  it('bounds messages and the number of errors, and drops malformed paths', () => {
    const many = Array.from({ length: 50 }, () => ({ message: 'x'.repeat(10_000), path: [{ evil: 1 }] }));
    const out = memberErrors(many, 'alpha', new Map());
    expect(out).toHaveLength(21);
    expect(out[0].message).toHaveLength(500);
    expect(out[0].path).toBeUndefined();
    expect(out[20].message).toMatch(/30 more/);
  });

  it('moves paths into root lists past the items the check removed', () => {
    const index = new Map([['services', Int32Array.from([0, -1, 1])]]);
    const out = memberErrors(
      [
        { message: 'kept', path: ['services', 2, 'name'] },
        { message: 'gone', path: ['services', 1, 'name'] },
        { message: 'other', path: ['projects', 3, 'name'] },
      ],
      'alpha',
      index,
    );
    expect(out.map((e) => e.path)).toEqual([['services', 1], ['services'], ['projects', 3, 'name']]);
  });
});
