import { ID_PROBE } from './operation-plan';
import { scrubForeign } from './scrub-foreign';

/** A record as a member answers it to a probed operation. */
const rec = (id: string, fields: Record<string, unknown> = {}) => ({ id, ...fields, [ID_PROBE]: id });

/** True when no object anywhere in the value still carries the probe. */
function hasProbe(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasProbe);
  if (value === null || typeof value !== 'object') return false;
  return ID_PROBE in value || Object.values(value).some(hasProbe);
}

describe('scrubForeign', () => {
  it('removes the probes from the member\'s own records and drops nothing', () => {
    const data = { services: [rec('alpha:mail', { capacity: [rec('alpha:cpu')] })], service: rec('alpha:web') };
    expect(scrubForeign(data, 'alpha')).toBe(0);
    expect(data).toEqual({ services: [{ id: 'alpha:mail', capacity: [{ id: 'alpha:cpu' }] }], service: { id: 'alpha:web' } });
    expect(hasProbe(data)).toBe(false);
  });

  it('removes foreign records from a root list, keeping the order of the rest', () => {
    const data = { services: [rec('alpha:1'), rec('beta:1'), rec('alpha:2'), rec('gamma:1'), rec('alpha:3')] };
    expect(scrubForeign(data, 'alpha')).toBe(2);
    expect(data.services).toEqual([{ id: 'alpha:1' }, { id: 'alpha:2' }, { id: 'alpha:3' }]);
  });

  it('removes foreign records from nested lists too', () => {
    const data = {
      services: [
        rec('alpha:mail', { capacity: [rec('beta:cpu'), rec('alpha:cpu'), rec('beta:disk')] }),
        rec('alpha:web', { capacity: [] }),
      ],
    };
    expect(scrubForeign(data, 'alpha')).toBe(2);
    expect(data.services).toEqual([
      { id: 'alpha:mail', capacity: [{ id: 'alpha:cpu' }] },
      { id: 'alpha:web', capacity: [] },
    ]);
  });

  it('counts a dropped record once, not the records inside it', () => {
    const data = { services: [rec('beta:mail', { capacity: [rec('beta:cpu'), rec('beta:disk')] })] };
    expect(scrubForeign(data, 'alpha')).toBe(1);
    expect(data.services).toEqual([]);
  });

  it('nulls a foreign object outside a list (a root lookup, a nested field)', () => {
    const data = {
      service: rec('beta:mail'),
      capacity: [rec('alpha:cpu', { service: rec('gamma:web') })],
    };
    expect(scrubForeign(data, 'alpha')).toBe(2);
    expect(data).toEqual({ service: null, capacity: [{ id: 'alpha:cpu', service: null }] });
  });

  it('keeps _entities positions: a foreign entity becomes null at its index', () => {
    const data = { _entities: [rec('alpha:1'), rec('beta:1'), null, rec('alpha:2', { capacity: [rec('beta:c')] })] };
    expect(scrubForeign(data, 'alpha')).toBe(2);
    expect(data._entities).toEqual([{ id: 'alpha:1' }, null, null, { id: 'alpha:2', capacity: [] }]);
  });

  it.each([
    ['an id without prefix', 'mail'],
    ['an id with an empty prefix', ':mail'],
    ['a prefix that only starts like the member', 'alphabet:mail'],
  ])('treats %s as foreign', (_name, id) => {
    const data = { services: [rec(id)] };
    expect(scrubForeign(data, 'alpha')).toBe(1);
    expect(data.services).toEqual([]);
  });

  it('treats a probe that is not a string as foreign', () => {
    const data = { services: [{ id: 'alpha:x', [ID_PROBE]: null }, { id: 'alpha:y', [ID_PROBE]: 7 }] };
    expect(scrubForeign(data, 'alpha')).toBe(2);
    expect(data.services).toEqual([]);
  });

  it('leaves records without a probe (Member, scalars, nulls) alone', () => {
    const data = {
      members: [{ id: 'beta', services: [rec('alpha:1')] }],
      description: 'text',
      count: 3,
      nothing: null,
      tags: ['beta:looks-like-an-id'],
    };
    expect(scrubForeign(data, 'alpha')).toBe(0);
    expect(data).toEqual({ members: [{ id: 'beta', services: [{ id: 'alpha:1' }] }], description: 'text', count: 3, nothing: null, tags: ['beta:looks-like-an-id'] });
  });
});
