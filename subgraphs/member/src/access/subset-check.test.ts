import fc from 'fast-check';
import { AuthError } from '../../../../common/auth/errors';
import { SubsetCheck, type GraphQLRequestText } from './subset-check';
import { subsetSchemas } from './subset-schemas';
import { connectionOperation } from '../../../../gateway/src/fanout/connections/connection-operation';
import { encodeWalkCursor } from '../../../../common/connections/walk-cursor';

/**
 * The sub-request subset check on its own: what a gateway may ask a member for a proven caller's
 * operation (the planner's shapes pass), and what it may not (anything more, or else).
 */
const subset = new SubsetCheck(subsetSchemas());
const passes = (sub: GraphQLRequestText, caller: GraphQLRequestText) => subset.check(sub, caller);
function refusal(sub: GraphQLRequestText, caller: GraphQLRequestText): string {
  try {
    subset.check(sub, caller);
  } catch (err) {
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).refusal).toBe('NOT_A_SUBSET');
    return (err as AuthError).reason;
  }
  throw new Error('expected NOT_A_SUBSET');
}

describe('what passes', () => {
  it("the caller's own operation, and parts of it", () => {
    const caller = { query: '{ services { id name capacity { total } } projects { id name } }' };
    expect(() => passes(caller, caller)).not.toThrow();
    expect(() => passes({ query: '{ services { id name } }' }, caller)).not.toThrow();
    expect(() => passes({ query: '{ projects { name } }' }, caller)).not.toThrow();
  });

  it('the planner additions: __typename, key fields and id probes', () => {
    const caller = { query: '{ services { name } }' };
    expect(() => passes({ query: '{ services { __typename id infrared__id: id name } }' }, caller)).not.toThrow();
  });

  it('the same argument values, inline on one side and in variables on the other', () => {
    const caller = { query: '{ services(filter: { kinds: [EMAIL], text: "mail" }, limit: 5) { name } }' };
    const sub = { query: 'query($f: ServiceFilter, $n: Int) { services(filter: $f, limit: $n) { name } }', variables: { f: { text: 'mail', kinds: ['EMAIL'] }, n: 5 } };
    expect(() => passes(sub, caller)).not.toThrow();
    // a variable the caller did not give is an argument it did not pass
    expect(() => passes({ query: 'query($f: ServiceFilter) { services(filter: $f) { name } }' }, { query: 'query($f: ServiceFilter) { services(filter: $f) { name } }', variables: {} })).not.toThrow();
  });

  it('entity fetches for the types that fields the gateway resolves return, and for @requires', () => {
    const caller = { query: '{ member(id: "alpha") { services { name } } projects { participants { id } } }' };
    const members = { query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { services { name } } } }', variables: { r: [{ __typename: 'Member', id: 'alpha' }] } };
    expect(() => passes(members, caller)).not.toThrow();
    // Project.participants @requires(fields: "invited { id }"): the gateway fetches invited ids
    const invited = { query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { invited { id } } } }', variables: { r: [{ __typename: 'Project', id: 'alpha:p' }] } };
    expect(() => passes(invited, caller)).not.toThrow();
  });

  it('fragments and named operations', () => {
    const caller = { query: 'query A { projects { id } } query B { services { ...S } } fragment S on Service { name }', operationName: 'B' };
    expect(() => passes({ query: '{ services { name } }' }, caller)).not.toThrow();
    expect(refusal({ query: '{ projects { id } }' }, caller)).toMatch(/Query\.projects/);
  });

  it('the same read gives the same text, however it is spelled', () => {
    const caller = { query: 'query($f: ServiceFilter) { services(filter: $f) { id name } }', variables: { f: { kinds: ['EMAIL'] } } };
    const a = passes(caller, caller);
    expect(passes({ query: 'query($g: ServiceFilter) { s: services(filter: $g) { ...F } } fragment F on Service { n: name }', variables: { x: 1, g: { kinds: ['EMAIL'] } } }, caller)).toBe(a);
    expect(passes({ query: '{ services(filter: { kinds: [EMAIL] }) { id } }' }, { query: '{ services(filter: { kinds: [EMAIL] }) { id name } }' })).not.toBe(a);
  });
});

describe('what is refused', () => {
  const caller = { query: 'query($f: ServiceFilter) { services(filter: $f) { id name } }', variables: { f: { kinds: ['EMAIL'] } } };

  it('another field, nested or at the root', () => {
    expect(refusal({ query: 'query($f: ServiceFilter) { services(filter: $f) { id name software } }', variables: caller.variables }, caller)).toMatch(/Service\.software/);
    expect(refusal({ query: 'query($f: ServiceFilter) { services(filter: $f) { id capacity { total } } }', variables: caller.variables }, caller)).toMatch(/Service\.capacity/);
    expect(refusal({ query: '{ incidents { id } }' }, caller)).toMatch(/Query\.incidents/);
  });

  it('other argument values, an argument added or dropped', () => {
    expect(refusal({ query: caller.query, variables: { f: { kinds: ['CHAT'] } } }, caller)).toMatch(/Query\.services/);
    expect(refusal({ query: caller.query }, caller)).toMatch(/Query\.services/);
    expect(refusal({ query: 'query($f: ServiceFilter) { services(filter: $f, limit: 9) { id name } }', variables: caller.variables }, caller)).toMatch(/Query\.services/);
    expect(refusal({ query: '{ services(filter: { kinds: [EMAIL], members: ["alpha"] }) { id } }' }, caller)).toMatch(/Query\.services/);
  });

  it('another operation type, either way', () => {
    const mutation = { query: 'mutation($id: ID!) { removeService(id: $id) }', variables: { id: 'x' } };
    expect(refusal(mutation, caller)).toMatch(/mutation/);
    expect(refusal(caller, mutation)).toMatch(/query/);
    expect(refusal({ query: 'mutation($id: ID!) { leaveProject(projectId: $id) }', variables: { id: 'x' } }, mutation)).toMatch(/leaveProject/);
  });

  it('entity fetches the caller operation gives no reason for', () => {
    const entities = (typename: string) => ({
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Service { id name } } }',
      variables: { r: [{ __typename: typename, id: 'alpha:own' }] },
    });
    expect(refusal(entities('Service'), caller)).toMatch(/_entities for Service/);
    expect(refusal({ query: '{ _entities(representations: "x") { __typename } }' }, caller)).toMatch(/representations/);
  });

  it('fields the member does not have, requests without a query, documents that do not parse or do not choose one operation', () => {
    expect(refusal({ query: '{ services { nonsense } }' }, caller)).toMatch(/not in this member's schema/);
    expect(refusal({}, caller)).toMatch(/no query/);
    expect(refusal({ query: '{ services { id } ' }, caller)).toMatch(/does not parse/);
    expect(refusal({ query: '{ services { id } }' }, { query: 'query A { services { id } } query B { services { id } }' })).toMatch(/no single operation/);
  });

  it('stays linear on fragment bombs and stops cycles and deep nesting', () => {
    const spreads = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Service { ...F${i + 1} ...F${i + 1} name }`).join(' ');
    const bomb = { query: `{ services { ...F0 } } ${spreads} fragment F30 on Service { id }` };
    const started = performance.now();
    expect(() => passes(bomb, { query: '{ services { id name } }' })).not.toThrow();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(() => passes({ query: '{ services { ...A } } fragment A on Service { ...B } fragment B on Service { ...A name }' }, { query: '{ services { name } }' })).not.toThrow();
    const deep = `{ services { ${'capacity { service { '.repeat(40)}id${' } }'.repeat(40)} } }`;
    expect(refusal({ query: deep }, { query: deep })).toMatch(/too deep/);
  });
});

describe('property: nothing beyond the caller operation passes', () => {
  const fields = ['id', 'name', 'software', 'url', 'status', 'kind', 'acceptingUsers'];
  it('a sub-request passes exactly when its fields are among the caller fields (ids aside)', () => {
    fc.assert(
      fc.property(
        fc.subarray(fields, { minLength: 1 }),
        fc.subarray(fields, { minLength: 1 }),
        fc.constantFrom('EMAIL', 'CHAT'),
        fc.constantFrom('EMAIL', 'CHAT'),
        (asked, sent, kindAsked, kindSent) => {
          const caller = { query: `{ services(filter: { kinds: [${kindAsked}] }) { ${asked.join(' ')} } }` };
          const sub = { query: 'query($f: ServiceFilter) { services(filter: $f) { ' + sent.join(' ') + ' } }', variables: { f: { kinds: [kindSent] } } };
          const allowed = kindAsked === kindSent && sent.every((f) => f === 'id' || asked.includes(f));
          let ok = true;
          try {
            subset.check(sub, caller);
          } catch (err) {
            if (!(err instanceof AuthError)) throw err;
            ok = false;
          }
          return ok === allowed;
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('connections: the pages the gateway asks for a proven caller', () => {
  const field = 'servicesConnection';
  const caller = (after?: string, first: string = 'first: 2') => ({ query: `{ ${field}(${first}, filter: { kinds: [EMAIL] }${after ? `, after: "${after}"` : ''}) { edges { node { name } } } }` });
  // the sub-request exactly as the gateway builds it: first and after as variables, its probes added
  const page = (first: number, after: string | null, filter = '{ kinds: [EMAIL] }') => ({
    query: connectionOperation(`{ ${field}(first: 2, filter: ${filter}) { edges { node { name } } } }`, field),
    variables: { infrared__first: first, infrared__after: after, infrared__count: true },
  });
  const cursor = encodeWalkCursor({ field, done: 'beta', pending: new Map([['alpha', 'WyJtYWlsIl0']]) });
  const refusedFor = (sub: GraphQLRequestText, c: GraphQLRequestText, member: string): string => {
    try {
      subset.check(sub, c, member);
    } catch (err) {
      expect((err as AuthError).refusal).toBe('NOT_A_SUBSET');
      return (err as AuthError).reason;
    }
    throw new Error('expected NOT_A_SUBSET');
  };

  it('the first page from the start, with the probes, and smaller pages of it', () => {
    expect(() => subset.check(page(2, null), caller(), 'alpha')).not.toThrow();
    expect(() => subset.check(page(0, null), caller(), 'alpha')).not.toThrow();
    // without `first` the caller asks for the default page (50)
    expect(() => subset.check(page(50, null), caller(undefined, 'first: null'), 'alpha')).not.toThrow();
    expect(refusedFor(page(51, null), caller(undefined, 'first: null'), 'alpha')).toMatch(/page the caller's operation does not ask for/);
  });

  it("after a cursor: each member only from the position the caller's cursor holds for it", () => {
    expect(() => subset.check(page(2, 'WyJtYWlsIl0'), caller(cursor), 'alpha')).not.toThrow();
    expect(() => subset.check(page(2, null), caller(cursor), 'gamma')).not.toThrow(); // not reached yet: from the start
    expect(() => subset.check(page(0, null), caller(cursor), 'beta')).not.toThrow(); // finished: a count probe only
    expect(refusedFor(page(2, 'WyJvdGhlciJd'), caller(cursor), 'alpha')).toMatch(/page/);
    expect(refusedFor(page(2, null), caller(cursor), 'alpha')).toMatch(/page/);
    expect(refusedFor(page(2, 'WyJtYWlsIl0'), caller(cursor), 'gamma')).toMatch(/page/);
    expect(refusedFor(page(2, null), caller(cursor), 'beta')).toMatch(/page/);
    expect(refusedFor(page(2, 'WyJtYWlsIl0'), caller(), 'alpha')).toMatch(/page/); // no caller cursor: from the start only
  });

  it('refuses a bigger page, another filter, a cursor of another field or no cursor at all, and probes without the connection', () => {
    expect(refusedFor(page(3, null), caller(), 'alpha')).toMatch(/page/);
    expect(refusedFor(page(2, null, '{ kinds: [CHAT] }'), caller(), 'alpha')).toMatch(/page/);
    expect(refusedFor(page(2, null), caller(encodeWalkCursor({ field: 'trainingsConnection', done: '', pending: new Map() })), 'alpha')).toMatch(/not a cursor of servicesConnection/);
    expect(refusedFor(page(2, null), caller('not-a-cursor'), 'alpha')).toMatch(/not a walk cursor/);
    expect(refusedFor(page(2, null), { query: '{ services { name } }' }, 'alpha')).toMatch(/page/);
    expect(refusedFor({ query: '{ services { name } }' }, caller(), 'alpha')).toMatch(/Query.services/);
  });

  it('each page is its own read (a proof is accepted once per read)', () => {
    const reads = new Set([page(2, null), page(1, null), page(0, null)].map((p) => subset.check(p, caller(), 'alpha')));
    expect(reads.size).toBe(3);
  });
});
