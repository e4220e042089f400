import { parse } from 'graphql';
import { loadMemberContract } from '../../../../schema/contract';
import { ID_PROBE, planOperation } from '../operation-plan';
import { answerRules } from './answer-rules';
import { checkAnswer, FOREIGN_RECORD, INVALID_ANSWER, type CheckedAnswer } from './check-answer';

/**
 * The answer check and the clock. The walk looks at a monotonic clock to yield the event loop
 * every few milliseconds; what it keeps or drops must never depend on that clock: a member that
 * makes the gateway slow (or a machine under load) must not get a record past the check. DateTime
 * values are checked by their form, never against the gateway's wall clock.
 */
const contract = loadMemberContract();
const rules = answerRules(contract.schema);
const registry = new Set(['alpha', 'beta']);

function check(query: string, data: unknown): Promise<CheckedAnswer> {
  const plan = planOperation(query, contract);
  return checkAnswer(data as Record<string, unknown>, {
    schema: contract.schema,
    rules,
    document: parse(plan.probedText),
    variables: {},
    sender: 'alpha',
    isMember: (id) => registry.has(id),
    maxListItems: 10_000,
  });
}

const SERVICES = '{ services { id name member { id } } }';
/** 5,000 services, every 7th credited to beta and every 11th without a name (non-null). */
function bigAnswer() {
  const services = Array.from({ length: 5000 }, (_, i) => {
    const owner = i % 7 === 3 ? 'beta' : 'alpha';
    return { id: `${owner}:s${i}`, name: i % 11 === 5 ? null : `s${i}`, member: { id: owner, [ID_PROBE]: owner }, [ID_PROBE]: `${owner}:s${i}` };
  });
  return { services };
}
const summary = (c: CheckedAnswer) => ({ data: c.data, dropped: c.dropped, truncated: c.truncated, codes: c.problems.map((p) => p.extensions?.code) });

afterEach(() => jest.restoreAllMocks());

describe('checkAnswer: the result does not depend on the clock', () => {
  it('a frozen clock (never yields) and a clock jumping 50 ms a look (yields at every look) give the same answer', async () => {
    const yields = jest.spyOn(global, 'setImmediate');
    const t = 1_000;
    jest.spyOn(performance, 'now').mockImplementation(() => t);
    const frozen = await check(SERVICES, bigAnswer());
    expect(yields).not.toHaveBeenCalled();

    let jumping = 0;
    jest.spyOn(performance, 'now').mockImplementation(() => (jumping += 50));
    const sliced = await check(SERVICES, bigAnswer());
    expect(yields.mock.calls.length).toBeGreaterThan(10);

    expect(summary(sliced)).toEqual(summary(frozen));
    const kept = (frozen.data!.services as { id: string }[]).map((s) => s.id);
    expect(kept.every((id) => id.startsWith('alpha:'))).toBe(true);
    const honest = Array.from({ length: 5000 }, (_, i) => i).filter((i) => i % 7 !== 3 && i % 11 !== 5);
    expect(kept).toEqual(honest.map((i) => `alpha:s${i}`));
    expect(frozen.dropped).toBe(5000 - honest.length);
    expect(new Set(summary(frozen).codes)).toEqual(new Set([FOREIGN_RECORD, INVALID_ANSWER]));
  });

  it('a clock that runs backwards changes nothing either', async () => {
    let back = 1e9;
    jest.spyOn(performance, 'now').mockImplementation(() => (back -= 50));
    const backwards = await check(SERVICES, bigAnswer());
    jest.restoreAllMocks();
    const real = await check(SERVICES, bigAnswer());
    expect(summary(backwards)).toEqual(summary(real));
  });
});

describe('checkAnswer: DateTime values are checked by form, not against the wall clock', () => {
  const project = (startedAt: unknown) => ({ id: 'alpha:p', name: 'p', startedAt, [ID_PROBE]: 'alpha:p' });
  const startedAt = async (value: unknown) => {
    const checked = await check('{ projects { id name startedAt } }', { projects: [project(value)] });
    return (checked.data!.projects as { startedAt: unknown }[])[0].startedAt;
  };

  it('keeps well-formed instants, in the past or far in the future', async () => {
    for (const ok of ['2026-01-15T12:00:00Z', '2026-01-15T12:00:00.123+02:00', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) expect(await startedAt(ok)).toBe(ok);
  });

  it('sets anything else to null: dates without time, impossible values, numbers, free text', async () => {
    for (const bad of ['2026-01-15', '2026-13-01T00:00:00Z', '2026-01-15T25:00:00Z', '2026-01-15 12:00:00Z', 'now', 1768478400000, '', { at: 1 }]) {
      expect([bad, await startedAt(bad)]).toEqual([bad, null]);
    }
  });
});
