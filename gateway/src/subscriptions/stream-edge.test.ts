import { changeFilter, matchesFilter } from './change-filter';
import type { NetworkChange } from './change-source';
import { StreamLimits } from './stream-limits';
import { tokenExpiresAt } from './token-expiry';

const change = (over: Partial<NetworkChange>): NetworkChange => ({
  cursor: 'c',
  kind: 'INCIDENT',
  id: 'a:1',
  operation: 'UPSERT',
  at: '2026-11-30T00:00:00.000Z',
  member: 'a',
  severity: null,
  ...over,
});

describe('subscription filters', () => {
  it('keeps incidents at or above minSeverity, and every REMOVE', () => {
    const f = changeFilter({ minSeverity: 'HIGH' });
    expect(matchesFilter(f, change({ severity: 'CRITICAL' }))).toBe(true);
    expect(matchesFilter(f, change({ severity: 'HIGH' }))).toBe(true);
    expect(matchesFilter(f, change({ severity: 'MEDIUM' }))).toBe(false);
    expect(matchesFilter(f, change({ kind: 'SERVICE', severity: null }))).toBe(false);
    expect(matchesFilter(f, change({ operation: 'REMOVE', severity: null }))).toBe(true);
  });

  it('filters by kinds and members; no filter passes everything', () => {
    expect(matchesFilter(changeFilter({ kinds: ['SERVICE'] }), change({}))).toBe(false);
    expect(matchesFilter(changeFilter({ members: ['b'] }), change({}))).toBe(false);
    expect(matchesFilter(changeFilter({ members: ['a'], kinds: ['INCIDENT'] }), change({}))).toBe(true);
    expect(matchesFilter(changeFilter({}), change({ kind: 'CAPACITY' }))).toBe(true);
  });
});

describe('StreamLimits', () => {
  it('refuses past the per-caller and the total limit, and a release frees the slot once', () => {
    const limits = new StreamLimits(3, 2);
    const a1 = limits.acquire('a');
    limits.acquire('a');
    expect(() => limits.acquire('a')).toThrow(expect.objectContaining({ code: 'TOO_MANY_SUBSCRIPTIONS' }));
    limits.acquire('b');
    expect(() => limits.acquire('c')).toThrow(expect.objectContaining({ code: 'TOO_MANY_SUBSCRIPTIONS' }));
    a1();
    a1();
    expect(limits.held).toBe(2);
    expect(() => limits.acquire('c')).not.toThrow();
    expect(() => limits.acquire('c')).toThrow(expect.objectContaining({ code: 'TOO_MANY_SUBSCRIPTIONS' }));
  });
});

describe('tokenExpiresAt', () => {
  const token = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  it('reads exp from a Bearer or DPoP token; undefined without one', () => {
    expect(tokenExpiresAt(`Bearer ${token({ exp: 1700000000 })}`)).toBe(1_700_000_000_000);
    expect(tokenExpiresAt(`DPoP ${token({ exp: 5 })}`)).toBe(5000);
    expect(tokenExpiresAt(undefined)).toBeUndefined();
    expect(tokenExpiresAt(`Bearer ${token({})}`)).toBeUndefined();
    expect(tokenExpiresAt('Bearer not-a-jwt')).toBeUndefined();
  });
});
