import { loadMemberContract } from '../../../schema/contract';
import { mergeRootFields, tagError, type MemberAnswer, type SubgraphError } from './merge';
import { planOperation } from './operation-plan';

const contract = loadMemberContract();
const plan = (query: string) => planOperation(query, contract);

/** Every response key asked of every member listed. */
function everyone(keys: string[], members: string[]): Map<string, ReadonlySet<string>> {
  return new Map(keys.map((k) => [k, new Set(members)]));
}

function answer(member: string, data: Record<string, unknown> | null, errors: SubgraphError[] = []): MemberAnswer {
  return { member, data, errors };
}

const ids = (list: unknown) => (list as { id: string }[]).map((s) => s.id);

describe('mergeRootFields: data', () => {
  it('concatenates lists in member id order, whatever order the answers arrive in', () => {
    const p = plan('{ services { id } }');
    const answers = [answer('gamma', { services: [{ id: 'gamma:a' }] }), answer('alpha', { services: [{ id: 'alpha:a' }, { id: 'alpha:b' }] }), answer('beta', { services: [{ id: 'beta:a' }] })];
    const forward = mergeRootFields(p, answers, everyone(['services'], ['alpha', 'beta', 'gamma']), undefined);
    const backward = mergeRootFields(p, [...answers].reverse(), everyone(['services'], ['alpha', 'beta', 'gamma']), undefined);
    expect(ids(forward.data.services)).toEqual(['alpha:a', 'alpha:b', 'beta:a', 'gamma:a']);
    expect(backward.data).toEqual(forward.data);
    expect(forward.errors).toEqual([]);
  });

  it("keeps each member's own order within its slice (no re-sorting by id)", () => {
    const p = plan('{ services { id } }');
    const { data } = mergeRootFields(p, [answer('alpha', { services: [{ id: 'alpha:z' }, { id: 'alpha:a' }] })], everyone(['services'], ['alpha']), undefined);
    expect(ids(data.services)).toEqual(['alpha:z', 'alpha:a']);
  });

  it('keeps two aliased services fields apart, each with its own limit', () => {
    const p = plan('{ two: services(limit: 2) { id } all: services { id } }');
    const answers = [
      answer('beta', { two: [{ id: 'beta:1' }, { id: 'beta:2' }], all: [{ id: 'beta:1' }, { id: 'beta:2' }] }),
      answer('alpha', { two: [{ id: 'alpha:1' }, { id: 'alpha:2' }], all: [{ id: 'alpha:1' }, { id: 'alpha:2' }] }),
    ];
    const { data } = mergeRootFields(p, answers, everyone(['two', 'all'], ['alpha', 'beta']), undefined);
    expect(Object.keys(data)).toEqual(['two', 'all']);
    expect(ids(data.two)).toEqual(['alpha:1', 'alpha:2']);
    expect(ids(data.all)).toEqual(['alpha:1', 'alpha:2', 'beta:1', 'beta:2']);
  });

  it('only takes a list from the members asked for that response key', () => {
    const p = plan('{ mine: services { id } all: services { id } }');
    const targets = new Map<string, ReadonlySet<string>>([
      ['mine', new Set(['beta'])],
      ['all', new Set(['alpha', 'beta'])],
    ]);
    const answers = [answer('alpha', { mine: [{ id: 'alpha:x' }], all: [{ id: 'alpha:x' }] }), answer('beta', { mine: [{ id: 'beta:x' }], all: [{ id: 'beta:x' }] })];
    const { data } = mergeRootFields(p, answers, targets, undefined);
    expect(ids(data.mine)).toEqual(['beta:x']);
    expect(ids(data.all)).toEqual(['alpha:x', 'beta:x']);
  });

  it('treats a member that answered null (or nothing) for a list as contributing no items', () => {
    const p = plan('{ services { id } }');
    const { data } = mergeRootFields(
      p,
      [answer('alpha', null), answer('beta', { services: null }), answer('gamma', { services: [{ id: 'gamma:1' }] })],
      everyone(['services'], ['alpha', 'beta', 'gamma']),
      undefined,
    );
    expect(ids(data.services)).toEqual(['gamma:1']);
  });

  const threeMembers = [
    answer('beta', { services: [{ id: 'beta:1' }, { id: 'beta:2' }] }),
    answer('alpha', { services: [{ id: 'alpha:1' }, { id: 'alpha:2' }] }),
    answer('gamma', { services: [{ id: 'gamma:1' }] }),
  ];

  it.each([
    ['a literal limit', 'query { services(limit: 3) { id } }', undefined, ['alpha:1', 'alpha:2', 'beta:1']],
    ['a variable limit', 'query Q($n: Int) { services(limit: $n) { id } }', { n: 3 }, ['alpha:1', 'alpha:2', 'beta:1']],
    ['limit 0', 'query { services(limit: 0) { id } }', undefined, []],
    ['a limit larger than the merge', 'query { services(limit: 50) { id } }', undefined, ['alpha:1', 'alpha:2', 'beta:1', 'beta:2', 'gamma:1']],
    ['an unset limit variable', 'query Q($n: Int) { services(limit: $n) { id } }', {}, ['alpha:1', 'alpha:2', 'beta:1', 'beta:2', 'gamma:1']],
    ['a null limit', 'query { services(limit: null) { id } }', undefined, ['alpha:1', 'alpha:2', 'beta:1', 'beta:2', 'gamma:1']],
  ])('applies %s after the merge (in member order), not per member', (_name, query, variables, expected) => {
    const { data } = mergeRootFields(plan(query), threeMembers, everyone(['services'], ['alpha', 'beta', 'gamma']), variables);
    expect(ids(data.services)).toEqual(expected);
  });

  it('takes a lookup from its owner only, ignoring answers of members not asked', () => {
    const p = plan('{ service(id: "beta:mail") { id name } }');
    const targets = new Map<string, ReadonlySet<string>>([['service', new Set(['beta'])]]);
    const answers = [answer('alpha', { service: { id: 'alpha:mail', name: 'not the owner' } }), answer('beta', { service: { id: 'beta:mail', name: 'Mail' } })];
    expect(mergeRootFields(p, answers, targets, undefined).data).toEqual({ service: { id: 'beta:mail', name: 'Mail' } });
  });

  it('answers null for a lookup when the owner has nothing, or nobody was asked', () => {
    const p = plan('{ a: service(id: "beta:gone") { id } b: project(id: "nobody:x") { id } }');
    const targets = new Map<string, ReadonlySet<string>>([
      ['a', new Set(['beta'])],
      ['b', new Set()],
    ]);
    const answers = [answer('alpha', { a: { id: 'alpha:gone' }, b: { id: 'alpha:x' } }), answer('beta', { a: null })];
    expect(mergeRootFields(p, answers, targets, undefined).data).toEqual({ a: null, b: null });
  });

  it('answers __typename itself, under its alias too', () => {
    const p = plan('{ __typename kind: __typename services { id } }');
    const { data } = mergeRootFields(p, [answer('alpha', { services: [] })], everyone(['services'], ['alpha']), undefined);
    expect(data).toEqual({ __typename: 'Query', kind: 'Query', services: [] });
  });
});

describe('mergeRootFields: errors', () => {
  const p = plan('{ services { id name } }');
  const targets = everyone(['services'], ['alpha', 'beta']);
  const alphaTwo = answer('alpha', { services: [{ id: 'alpha:1' }, { id: 'alpha:2' }] });

  it('shifts a list error path by the items of the members before it', () => {
    const beta = answer('beta', { services: [{ id: 'beta:1' }, null] }, [{ message: 'name failed', path: ['services', 1, 'name'] }]);
    const { errors } = mergeRootFields(p, [beta, alphaTwo], targets, undefined);
    expect(errors).toEqual([{ message: 'name failed', path: ['services', 3, 'name'], extensions: { member: 'beta' } }]);
  });

  it("leaves the path of the first member's errors as it is", () => {
    const alpha = answer('alpha', { services: [{ id: 'alpha:1' }] }, [{ message: 'x', path: ['services', 0, 'name'] }]);
    const { errors } = mergeRootFields(p, [alpha, answer('beta', { services: [] })], targets, undefined);
    expect(errors).toEqual([{ message: 'x', path: ['services', 0, 'name'], extensions: { member: 'alpha' } }]);
  });

  it('drops errors for items cut off by the limit, and keeps those before it', () => {
    const limited = plan('query Q($n: Int) { services(limit: $n) { id name } }');
    const beta = answer('beta', { services: [{ id: 'beta:1' }, { id: 'beta:2' }] }, [
      { message: 'kept', path: ['services', 0, 'name'] },
      { message: 'past the limit', path: ['services', 1, 'name'] },
    ]);
    const { data, errors } = mergeRootFields(limited, [alphaTwo, beta], targets, { n: 3 });
    expect(ids(data.services)).toEqual(['alpha:1', 'alpha:2', 'beta:1']);
    expect(errors).toEqual([{ message: 'kept', path: ['services', 2, 'name'], extensions: { member: 'beta' } }]);
  });

  it('keeps errors without a path, tagged with the member, in member order', () => {
    const beta = answer('beta', { services: [] }, [{ message: 'beta is slow' }]);
    const alpha = answer('alpha', { services: [] }, [{ message: 'alpha is tired' }]);
    const { errors } = mergeRootFields(p, [beta, alpha], targets, undefined);
    expect(errors).toEqual([
      { message: 'alpha is tired', extensions: { member: 'alpha' } },
      { message: 'beta is slow', extensions: { member: 'beta' } },
    ]);
  });

  it('keeps the code but names the answering member, whatever member the error named', () => {
    const beta = answer('beta', { services: [] }, [
      { message: 'coded', extensions: { code: 'FORBIDDEN' } },
      { message: 'relayed', extensions: { code: 'MEMBER_UNAVAILABLE', member: 'beta' } },
    ]);
    const { errors } = mergeRootFields(p, [beta], targets, undefined);
    expect(errors).toEqual([
      { message: 'coded', extensions: { code: 'FORBIDDEN', member: 'beta' } },
      { message: 'relayed', extensions: { code: 'MEMBER_UNAVAILABLE', member: 'beta' } },
    ]);
  });

  it('drops errors under a response key the member was not asked for', () => {
    const lookup = plan('{ service(id: "beta:1") { id } services { id } }');
    const t = new Map<string, ReadonlySet<string>>([
      ['service', new Set(['beta'])],
      ['services', new Set(['alpha', 'beta'])],
    ]);
    const alpha = answer('alpha', { service: null, services: [] }, [{ message: 'not yours', path: ['service', 'id'] }]);
    const beta = answer('beta', { service: null, services: [] }, [{ message: 'owner error', path: ['service', 'id'] }]);
    const { errors } = mergeRootFields(lookup, [alpha, beta], t, undefined);
    expect(errors).toEqual([{ message: 'owner error', path: ['service', 'id'], extensions: { member: 'beta' } }]);
  });

  it('keeps a path that does not index into the list (the list itself, a lookup) unchanged', () => {
    const beta = answer('beta', null, [{ message: 'list failed', path: ['services'] }]);
    const { errors } = mergeRootFields(p, [alphaTwo, beta], targets, undefined);
    expect(errors).toEqual([{ message: 'list failed', path: ['services'], extensions: { member: 'beta' } }]);
  });
});

describe('tagError', () => {
  it('adds the member, keeps message and path, and does not mutate the original', () => {
    const original: SubgraphError = { message: 'boom', path: ['services', 0], extensions: { code: 'X' } };
    const tagged = tagError(original, 'alpha');
    expect(tagged).toEqual({ message: 'boom', path: ['services', 0], extensions: { code: 'X', member: 'alpha' } });
    expect(original.extensions).toEqual({ code: 'X' });
  });

  it('replaces the path when one is given', () => {
    expect(tagError({ message: 'm', path: ['services', 1] }, 'beta', ['services', 5])).toEqual({
      message: 'm',
      path: ['services', 5],
      extensions: { member: 'beta' },
    });
  });

  it('sets the answering member over one the member named itself, and sets no path when there was none', () => {
    const tagged = tagError({ message: 'm', extensions: { member: 'gamma' } }, 'beta');
    expect(tagged).toEqual({ message: 'm', extensions: { member: 'beta' } });
    expect('path' in tagged).toBe(false);
  });

  it('passes on only message, path and extensions (nothing else a member sent)', () => {
    const noisy = { message: 'm', locations: [{ line: 1, column: 2 }], stack: 'secret' } as SubgraphError;
    expect(Object.keys(tagError(noisy, 'alpha')).sort()).toEqual(['extensions', 'message']);
  });
});
