import fc from 'fast-check';
import { parse } from 'graphql';
import { ownerOf } from '../../../../common/ids';
import { SERVICE_KINDS } from '../../../../schema/enums';
import { loadMemberContract } from '../../../../schema/contract';
import { ID_PROBE, planOperation } from '../operation-plan';
import { answerRules, MAX_QUANTITY_NUMBER } from './answer-rules';
import { checkAnswer } from './check-answer';

/*
 * Property tests: for contract-shaped answers with arbitrary breakage, the check keeps exactly the
 * records a reference reading of the contract keeps (and normalises exactly the bad nullable
 * numbers); for arbitrary JSON, it never throws and never lets anything unasked through.
 */

const contract = loadMemberContract();
const rules = answerRules(contract.schema);
const QUERY = '{ services { id name kind member { id } capacity { id total } } }';
const document = parse(planOperation(QUERY, contract).probedText);
const run = (data: unknown) =>
  checkAnswer(data as Record<string, unknown>, { schema: contract.schema, rules, document, variables: {}, sender: 'alpha', isMember: (id) => ['alpha', 'beta'].includes(id), maxListItems: 50 });

const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 5 }),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);
const maybe = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: junk });
const globalId = fc.tuple(fc.constantFrom('alpha', 'alpha', 'alpha', 'beta', 'mallory'), fc.constantFrom('a', 'b', 'c')).map(([m, l]) => `${m}:${l}`);
const memberRef = fc.record({ id: maybe(fc.constantFrom('alpha', 'alpha', 'beta', 'mallory')), [ID_PROBE]: maybe(fc.constantFrom('alpha', 'alpha', 'beta')) });
const capacity = fc.record({ id: maybe(globalId), [ID_PROBE]: maybe(globalId), total: maybe(fc.oneof(fc.double({ min: -10, max: 1e6, noNaN: true }), fc.constantFrom(1e308, -1, 0, Infinity, NaN))) });
const service = fc.record(
  {
    id: maybe(globalId),
    [ID_PROBE]: maybe(globalId),
    name: maybe(fc.string({ maxLength: 8 })),
    kind: maybe(fc.constantFrom(...SERVICE_KINDS, 'TELEPATHY')),
    member: maybe(memberRef),
    capacity: maybe(fc.array(maybe(capacity), { maxLength: 4 })),
  },
  { requiredKeys: [] },
);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ownedByAlpha = (v: unknown) => typeof v === 'string' && ownerOf(v) === 'alpha';

/** The reference reading of the contract for one capacity item: undefined when it must go. */
function expectCapacity(c: unknown): unknown {
  if (!isObject(c) || !ownedByAlpha(c.id) || !ownedByAlpha(c[ID_PROBE])) return undefined;
  const t = c.total;
  const total = typeof t === 'number' && Number.isFinite(t) && t >= 0 && t <= MAX_QUANTITY_NUMBER ? t : null;
  return { id: c.id, total };
}

function expectService(s: unknown): unknown {
  if (!isObject(s) || !ownedByAlpha(s.id) || !ownedByAlpha(s[ID_PROBE])) return undefined;
  if (typeof s.name !== 'string' || !(SERVICE_KINDS as readonly unknown[]).includes(s.kind)) return undefined;
  if (!isObject(s.member) || s.member.id !== 'alpha' || s.member[ID_PROBE] !== 'alpha') return undefined;
  if (!Array.isArray(s.capacity)) return undefined;
  return { id: s.id, name: s.name, kind: s.kind, member: { id: 'alpha' }, capacity: s.capacity.map(expectCapacity).filter((c) => c !== undefined) };
}

describe('checkAnswer (property tests)', () => {
  it('keeps exactly the records the contract and the sender allow, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(maybe(service), { maxLength: 12 }), async (services) => {
        const checked = await run({ services });
        const expected = services.map(expectService).filter((s) => s !== undefined);
        expect(checked.data).toEqual({ services: expected });
        // every drop or fix is reported, in the sender's name
        if (checked.dropped > 0) expect(checked.problems.length).toBeGreaterThan(0);
        for (const p of checked.problems) expect(p.extensions).toMatchObject({ member: 'alpha' });
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on arbitrary JSON and lets nothing unasked through', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.record({ services: fc.jsonValue() }), fc.record({ services: fc.array(fc.jsonValue(), { maxLength: 5 }) })), async (data) => {
        const input = isObject(data) ? data : { services: data };
        const checked = await run(input);
        expect(Object.keys(checked.data!)).toEqual(['services']);
        expect(Array.isArray(checked.data!.services)).toBe(true);
        expect(JSON.stringify(checked.data)).not.toContain(ID_PROBE);
      }),
      { numRuns: 400 },
    );
  });
});
