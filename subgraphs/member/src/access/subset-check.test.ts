import fc from 'fast-check';
import { AuthError } from '../../../../common/auth/errors';
import { SubsetCheck, type GraphQLRequestText } from './subset-check';
import { subsetSchemas } from './subset-schemas';

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
