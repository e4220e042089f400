import fc from 'fast-check';
import type { Caller } from '../../../../common/caller';
import type { Visibility } from '../../../../schema/enums';
import { canSee, stricter, visibilityWhere, type AccessScope } from './visibility';

/**
 * The visibility policy (TLP 2.0), as a table: every level × every kind of caller, both for the
 * SQL filter (visibilityWhere, evaluated here the way PostgreSQL would) and for the in-memory rule
 * (canSee). The two must agree on every record, or a field rule could show what the row filter hides.
 */
const OWNER = 'alpha';
const LEVELS: Visibility[] = ['PUBLIC', 'NETWORK', 'MEMBERS', 'OWNER'];

const callers: Record<string, Caller> = {
  anonymous: { anonymous: true, scopes: [] },
  // a caller flagged anonymous never counts as a member, whatever else it carries
  'anonymous carrying a member': { anonymous: true, member: 'beta', scopes: ['read'] },
  'authenticated without a member': { anonymous: false, scopes: ['read'] },
  'other member (not shared)': { anonymous: false, member: 'gamma', subject: 'g', scopes: ['read'] },
  'member in sharedWith': { anonymous: false, member: 'beta', subject: 'b', scopes: ['read'] },
  owner: { anonymous: false, member: OWNER, subject: 'o', scopes: ['read', 'write'] },
};
const SHARED_WITH = ['beta', 'delta'];

// prettier-ignore
const EXPECTED: Record<string, Record<Visibility, boolean>> = {
  anonymous:                          { PUBLIC: true, NETWORK: false, MEMBERS: false, OWNER: false },
  'anonymous carrying a member':      { PUBLIC: true, NETWORK: false, MEMBERS: false, OWNER: false },
  'authenticated without a member':   { PUBLIC: true, NETWORK: false, MEMBERS: false, OWNER: false },
  'other member (not shared)':        { PUBLIC: true, NETWORK: true,  MEMBERS: false, OWNER: false },
  'member in sharedWith':             { PUBLIC: true, NETWORK: true,  MEMBERS: true,  OWNER: false },
  owner:                              { PUBLIC: true, NETWORK: true,  MEMBERS: true,  OWNER: true },
};

interface Row {
  visibility: Visibility;
  sharedWith: string[];
}

/** Evaluates the filter visibilityWhere builds ($or, $in, $contains on a text[]) against one row. */
function matches(where: Record<string, unknown>, row: Row): boolean {
  return Object.entries(where).every(([key, cond]) => {
    if (key === '$or') return (cond as Record<string, unknown>[]).some((w) => matches(w, row));
    const value = row[key as keyof Row];
    if (cond !== null && typeof cond === 'object' && !Array.isArray(cond)) {
      return Object.entries(cond).every(([op, arg]) => {
        if (op === '$in') return (arg as unknown[]).includes(value);
        if (op === '$contains') return (arg as string[]).every((x) => (value as string[]).includes(x));
        throw new Error(`operator ${op} not understood by this evaluator`);
      });
    }
    return value === cond;
  });
}

describe('visibility: every level × every caller', () => {
  const cases = Object.keys(callers).flatMap((who) => LEVELS.map((level) => [who, level] as const));

  it.each(cases)('%s reading a %s record: the SQL filter and canSee give the table', (who, level) => {
    const scope: AccessScope = { owner: OWNER, caller: callers[who] };
    const row: Row = { visibility: level, sharedWith: SHARED_WITH };
    expect(matches(visibilityWhere(scope), row)).toBe(EXPECTED[who][level]);
    expect(canSee(scope, level, SHARED_WITH)).toBe(EXPECTED[who][level]);
  });

  it('the owner is the only caller whose filter is empty (everything the owner holds)', () => {
    for (const [who, caller] of Object.entries(callers)) expect([who, Object.keys(visibilityWhere({ owner: OWNER, caller })).length === 0]).toEqual([who, who === 'owner']);
  });

  it('a caller not named in sharedWith never sees a MEMBERS record: near-miss names and the owner’s own id grant nothing', () => {
    const scope: AccessScope = { owner: OWNER, caller: callers['other member (not shared)'] };
    for (const sharedWith of [[], [OWNER], ['gamm'], ['GAMMA'], ['gamma-x'], ['%']]) {
      expect([sharedWith, canSee(scope, 'MEMBERS', sharedWith), matches(visibilityWhere(scope), { visibility: 'MEMBERS', sharedWith })]).toEqual([sharedWith, false, false]);
    }
  });

  it('an unknown level is hidden from everyone but the owner’s SQL filter (which asks for nothing)', () => {
    for (const [who, caller] of Object.entries(callers)) {
      const scope: AccessScope = { owner: OWNER, caller };
      expect([who, canSee(scope, 'SECRET' as Visibility, SHARED_WITH)]).toEqual([who, false]);
      expect([who, matches(visibilityWhere(scope), { visibility: 'SECRET' as Visibility, sharedWith: SHARED_WITH })]).toEqual([who, who === 'owner']);
    }
  });
});

describe('visibility: the SQL filter and canSee agree on every record (property)', () => {
  const member = fc.constantFrom('alpha', 'beta', 'gamma', 'delta');
  const caller: fc.Arbitrary<Caller> = fc.record({
    anonymous: fc.boolean(),
    member: fc.option(member, { nil: undefined }),
    subject: fc.option(fc.string(), { nil: undefined }),
    scopes: fc.subarray(['read', 'write']),
  });

  it('for any caller, level and sharedWith', () => {
    fc.assert(
      fc.property(caller, fc.constantFrom(...LEVELS), fc.uniqueArray(member), (c, visibility, sharedWith) => {
        const scope: AccessScope = { owner: OWNER, caller: c };
        expect(matches(visibilityWhere(scope), { visibility, sharedWith })).toBe(canSee(scope, visibility, sharedWith));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('stricter: a field rule narrows a record, never widens it', () => {
  it.each(LEVELS.flatMap((a) => [...LEVELS, null, undefined].map((b) => [a, b] as const)))('stricter(%s, %s)', (a, b) => {
    const order = (v: Visibility) => LEVELS.indexOf(v);
    const result = stricter(a, b);
    expect(order(result)).toBeGreaterThanOrEqual(order(a));
    if (b) expect(order(result)).toBe(Math.max(order(a), order(b)));
    else expect(result).toBe(a);
  });
});
