import { parse } from 'graphql';
import { loadMemberContract } from '../../../../schema/contract';
import { ID_PROBE, planOperation } from '../operation-plan';
import { answerRules } from './answer-rules';
import { checkAnswer, FOREIGN_RECORD, INVALID_ANSWER, type CheckOptions } from './check-answer';

const contract = loadMemberContract();
const rules = answerRules(contract.schema);
const registry = new Set(['alpha', 'beta', 'gamma']);

/** Checks `data` as alpha's answer to `query` (probed the way the fan-out sends it). */
function check(query: string, data: unknown, extra: Partial<CheckOptions> = {}) {
  const plan = planOperation(query, contract);
  return checkAnswer(data as Record<string, unknown>, {
    schema: contract.schema,
    rules,
    document: parse(plan.probedText),
    variables: {},
    sender: 'alpha',
    isMember: (id) => registry.has(id),
    maxListItems: 1000,
    ...extra,
  });
}

const svc = (id: string, fields: Record<string, unknown> = {}) => ({ id, name: `n-${id}`, member: { id: 'alpha', [ID_PROBE]: 'alpha' }, [ID_PROBE]: id, ...fields });
const SERVICES = '{ services { id name member { id } } }';
const ids = (list: unknown) => (list as { id: string }[]).map((s) => s.id);
const codes = (problems: { extensions?: Record<string, unknown> }[]) => problems.map((p) => p.extensions?.code);

describe('checkAnswer: an honest answer', () => {
  it('passes intact, as a fresh copy without the probes', async () => {
    const data = { services: [svc('alpha:a'), svc('alpha:b')] };
    const checked = await check(SERVICES, data);
    expect(checked.problems).toEqual([]);
    expect(checked.dropped).toBe(0);
    expect(checked.data).toEqual({
      services: [
        { id: 'alpha:a', name: 'n-alpha:a', member: { id: 'alpha' } },
        { id: 'alpha:b', name: 'n-alpha:b', member: { id: 'alpha' } },
      ],
    });
    expect(checked.data!.services).not.toBe(data.services);
  });

  it('leaves out keys the query did not ask for', async () => {
    const checked = await check(SERVICES, { services: [svc('alpha:a', { secret: 'x', nested: { deep: 1 } })], extra: 1 });
    expect(checked.data).toEqual({ services: [{ id: 'alpha:a', name: 'n-alpha:a', member: { id: 'alpha' } }] });
  });

  it('follows aliases, fragments and @skip/@include with the request variables', async () => {
    const query = 'query($with: Boolean!) { list: services { ...F label: name kind @include(if: $with) } } fragment F on Service { key: id }';
    const plan = planOperation(query, contract);
    const answer = { list: [{ key: 'alpha:a', label: 'A', [ID_PROBE]: 'alpha:a' }] };
    const base = { schema: contract.schema, rules, document: parse(plan.probedText), sender: 'alpha', isMember: (id: string) => registry.has(id), maxListItems: 10 };
    const skipped = await checkAnswer(answer, { ...base, variables: { with: false } });
    expect(skipped.problems).toEqual([]);
    expect(skipped.data).toEqual({ list: [{ key: 'alpha:a', label: 'A' }] });
    // with the field included, leaving it out breaks the contract (kind is non-null)
    const included = await checkAnswer(answer, { ...base, variables: { with: true } });
    expect(included.data).toEqual({ list: [] });
    expect(codes(included.problems)).toEqual([INVALID_ANSWER]);
  });
});

describe('checkAnswer: ownership', () => {
  it('drops a record without the probe, keeping the rest', async () => {
    const { [ID_PROBE]: _, ...unprobed } = svc('beta:mail');
    const checked = await check(SERVICES, { services: [svc('alpha:a'), unprobed, svc('alpha:b')] });
    expect(ids(checked.data!.services)).toEqual(['alpha:a', 'alpha:b']);
    expect(codes(checked.problems)).toEqual([FOREIGN_RECORD]);
    expect(checked.problems[0]).toMatchObject({ path: ['services'], extensions: { member: 'alpha' } });
  });

  it('never trusts the probe over id: an own-prefix probe on a foreign id is dropped', async () => {
    const checked = await check(SERVICES, { services: [{ ...svc('alpha:a'), id: 'beta:mail' }, svc('alpha:b')] });
    expect(ids(checked.data!.services)).toEqual(['alpha:b']);
    expect(codes(checked.problems)).toEqual([FOREIGN_RECORD]);
  });

  it('checks every aliased id too', async () => {
    const checked = await check('{ services { id other: id } }', { services: [{ id: 'alpha:a', other: 'beta:a', [ID_PROBE]: 'alpha:a' }] });
    expect(checked.data).toEqual({ services: [] });
  });

  it('drops a record credited to another member (member, lead, capacity member)', async () => {
    const beta = { id: 'beta', [ID_PROBE]: 'beta' };
    const services = await check(SERVICES, { services: [svc('alpha:a', { member: beta }), svc('alpha:b')] });
    expect(ids(services.data!.services)).toEqual(['alpha:b']);
    const projects = await check('{ projects { id lead { id } } }', { projects: [{ id: 'alpha:p', lead: beta, [ID_PROBE]: 'alpha:p' }] });
    expect(projects.data).toEqual({ projects: [] });
    const capacity = await check('{ capacity { id total member { id } } }', { capacity: [{ id: 'alpha:c', total: 5, member: beta, [ID_PROBE]: 'alpha:c' }] });
    expect(capacity.data).toEqual({ capacity: [] });
    expect(codes([...services.problems, ...projects.problems, ...capacity.problems])).toEqual([FOREIGN_RECORD, FOREIGN_RECORD, FOREIGN_RECORD]);
  });

  it('counts a participation only in the name of the member that answered (its id and its member)', async () => {
    // a participation's id is `<member>:<projectId>`: the sender's prefix, as every record's
    const p = (member: string) => ({ projectId: 'beta:p', member: { id: member, [ID_PROBE]: member }, [ID_PROBE]: `${member}:beta:p` });
    const checked = await check('{ participations { projectId member { id } } }', { participations: [p('alpha'), p('gamma'), p('beta')] });
    expect(checked.data).toEqual({ participations: [{ projectId: 'beta:p', member: { id: 'alpha' } }] });
    expect(checked.dropped).toBe(2);
  });

  it('lets invited and sharedWith name other members, but only members of the registry', async () => {
    const m = (id: string) => ({ id, [ID_PROBE]: id });
    const checked = await check('{ projects { id invited { id } sharedWith } }', {
      projects: [{ id: 'alpha:p', invited: [m('beta'), m('mallory'), m('gamma')], sharedWith: ['beta', 'eve'], [ID_PROBE]: 'alpha:p' }],
    });
    expect(checked.data).toEqual({ projects: [{ id: 'alpha:p', invited: [{ id: 'beta' }, { id: 'gamma' }], sharedWith: ['beta'] }] });
    expect(codes(checked.problems)).toEqual([FOREIGN_RECORD, FOREIGN_RECORD]);
  });

  it("lets joinProject answer with the lead's project (another registry member), never an unknown one", async () => {
    const mutation = 'mutation { joinProject(projectId: "beta:p") { id } }';
    const ok = await check(mutation, { joinProject: { id: 'beta:p', [ID_PROBE]: 'beta:p' } });
    expect(ok.data).toEqual({ joinProject: { id: 'beta:p' } });
    const bad = await check(mutation, { joinProject: { id: 'mallory:p', [ID_PROBE]: 'mallory:p' } });
    expect(bad.data).toEqual({ joinProject: null });
    expect(codes(bad.problems)).toEqual([FOREIGN_RECORD]);
  });

  it('keeps _entities positions: a wrong type or another id at a position becomes null', async () => {
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Service { __typename name } } }';
    const representations = [
      { __typename: 'Service', id: 'alpha:a' },
      { __typename: 'Service', id: 'alpha:b' },
      { __typename: 'Service', id: 'alpha:c' },
    ];
    const checked = await check(
      query,
      {
        _entities: [
          { __typename: 'Service', name: 'A', [ID_PROBE]: 'alpha:a' },
          { __typename: 'Service', name: 'swapped', [ID_PROBE]: 'alpha:c' },
          { __typename: 'Project', name: 'P', [ID_PROBE]: 'alpha:c' },
        ],
      },
      { representations },
    );
    expect(checked.data).toEqual({ _entities: [{ __typename: 'Service', name: 'A' }, null, null] });
    expect(checked.problems.map((p) => p.path)).toEqual([
      ['_entities', 1],
      ['_entities', 2],
    ]);
  });
});

describe('checkAnswer: the contract', () => {
  it('drops the item, not the answer: null id, null item, wrong type, missing non-null field, unknown enum', async () => {
    const checked = await check('{ services { id name kind } }', {
      services: [
        { id: 'alpha:ok', name: 'ok', kind: 'EMAIL', [ID_PROBE]: 'alpha:ok' },
        { id: null, name: 'x', kind: 'EMAIL', [ID_PROBE]: null },
        null,
        { id: 'alpha:n', name: 42, kind: 'EMAIL', [ID_PROBE]: 'alpha:n' },
        { id: 'alpha:m', kind: 'EMAIL', [ID_PROBE]: 'alpha:m' },
        { id: 'alpha:e', name: 'e', kind: 'TELEPATHY', [ID_PROBE]: 'alpha:e' },
        { id: 'alpha:ok2', name: 'ok2', kind: 'VPN', [ID_PROBE]: 'alpha:ok2' },
      ],
    });
    expect(ids(checked.data!.services)).toEqual(['alpha:ok', 'alpha:ok2']);
    expect(checked.dropped).toBe(5);
    expect(checked.problems.every((p) => p.extensions?.member === 'alpha')).toBe(true);
  });

  it('sets a bad nullable number to null: non-finite, out of range, negative, a string', async () => {
    const cap = (id: string, total: unknown) => ({ id, total, [ID_PROBE]: id });
    const checked = await check('{ capacity { id total } }', { capacity: [cap('alpha:a', 10), cap('alpha:b', 1e308), cap('alpha:c', -5), cap('alpha:d', '12abc')] });
    expect(checked.data).toEqual({
      capacity: [
        { id: 'alpha:a', total: 10 },
        { id: 'alpha:b', total: null },
        { id: 'alpha:c', total: null },
        { id: 'alpha:d', total: null },
      ],
    });
    expect(codes(checked.problems)).toEqual([INVALID_ANSWER, INVALID_ANSWER, INVALID_ANSWER]);
  });

  it("sets a record's negative or fractional Int to null (Training.seats: a quantity, never negative)", async () => {
    const training = (id: string, seats: unknown) => ({ id, seats, [ID_PROBE]: id });
    const checked = await check('{ trainings { id seats } }', { trainings: [training('alpha:a', 12), training('alpha:b', -3), training('alpha:c', 2.5), training('alpha:d', null)] });
    expect(checked.data).toEqual({
      trainings: [
        { id: 'alpha:a', seats: 12 },
        { id: 'alpha:b', seats: null },
        { id: 'alpha:c', seats: null },
        { id: 'alpha:d', seats: null },
      ],
    });
    expect(codes(checked.problems)).toEqual([INVALID_ANSWER, INVALID_ANSWER]);
  });

  it('a root list that is not a list contributes nothing, with an error', async () => {
    const checked = await check(SERVICES, { services: { not: 'a list' } });
    expect(checked.data).toEqual({ services: [] });
    expect(codes(checked.problems)).toEqual([INVALID_ANSWER]);
  });

  it('a broken non-null field of a lookup nulls the lookup', async () => {
    const checked = await check('{ service(id: "alpha:a") { id name } }', { service: { id: 'alpha:a', name: null, [ID_PROBE]: 'alpha:a' } });
    expect(checked.data).toEqual({ service: null });
  });

  it('walks no deeper than the query: a 5,000-level answer is checked without recursion', async () => {
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 5000; i++) deep = { member: deep, id: 'alpha:x' };
    const checked = await check(SERVICES, { services: [deep, svc('alpha:a')] });
    expect(ids(checked.data!.services)).toEqual(['alpha:a']);
    let nested: unknown = 'x';
    for (let i = 0; i < 100_000; i++) nested = [nested];
    const leaf = await check(SERVICES, { services: [svc('alpha:b', { name: nested })] });
    expect(leaf.data).toEqual({ services: [] });
  });

  it('takes at most maxListItems per list and counts the cut', async () => {
    const many = Array.from({ length: 25 }, (_, i) => svc(`alpha:${i}`));
    const checked = await check(SERVICES, { services: many }, { maxListItems: 10 });
    expect((checked.data!.services as unknown[]).length).toBe(10);
    expect(checked.truncated).toBe(15);
    expect(checked.rootIndex.get('services')!.length).toBe(10);
  });

  it('reports at most ten problems one by one, then one summary', async () => {
    const bad = Array.from({ length: 30 }, (_, i) => ({ id: `beta:${i}`, [ID_PROBE]: `beta:${i}` }));
    const checked = await check('{ services { id } }', { services: bad });
    expect(checked.dropped).toBe(30);
    expect(checked.problems).toHaveLength(11);
    expect(checked.problems[10].message).toMatch(/20 more/);
  });

  it('maps root list positions after drops', async () => {
    const checked = await check('{ services { id } }', { services: [svc('alpha:a'), svc('beta:b'), svc('alpha:c')] });
    expect([...checked.rootIndex.get('services')!]).toEqual([0, -1, 1]);
  });
});
