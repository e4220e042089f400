import { dirname, join } from 'node:path';
import { parse } from 'graphql';
import { installShapedResponse, shapedResponse, type ComputeResponse, type ComputeResponseArgs } from './shaped-response';

// Apollo's own pieces, the very modules @apollo/gateway runs with
const gatewayDir = dirname(require.resolve('@apollo/gateway/package.json'));
/* eslint-disable @typescript-eslint/no-require-imports */
const internals = require(require.resolve('@apollo/federation-internals', { paths: [gatewayDir] }));
const shaping = require(join(gatewayDir, 'dist', 'resultShaping.js')) as { computeResponse: ComputeResponse };
/* eslint-enable @typescript-eslint/no-require-imports */
const apolloShaping: ComputeResponse = shaping.computeResponse;
const fast = shapedResponse(apolloShaping, internals.isValidLeafValue);

const schema = internals.buildSchema(`
  type Query { services(limit: Int): [Service!]! lookup(id: ID!): Service node(id: ID!): Node }
  interface Node { id: ID! }
  type Service implements Node { id: ID! name: String kind: Kind! tags: [String!] owner: Member! score: Float count: Int }
  type Member implements Node { id: ID! name: String! }
  enum Kind { API DATASET }
`);

function shape(compute: ComputeResponse, query: string, input: Record<string, unknown> | null, variables: Record<string, unknown> = {}) {
  const operation = internals.operationFromDocument(schema, parse(query), { validate: true });
  return compute({ operation, variables, input, introspectionHandling: () => ({ introspected: true }) } as ComputeResponseArgs);
}

/** Both shapings of one input: the same JSON and errors (or the same failure); `fastPath`: whether the data came back as it was. */
function both(query: string, input: () => Record<string, unknown> | null, variables?: Record<string, unknown>) {
  const given = input();
  const run = (compute: ComputeResponse, data: Record<string, unknown> | null) => {
    try {
      return shape(compute, query, data, variables);
    } catch (err) {
      return { data: undefined, errors: [`threw ${(err as Error).message}`] };
    }
  };
  const ours = run(fast, given);
  const apollo = run(apolloShaping, input());
  expect(JSON.stringify(ours.data)).toBe(JSON.stringify(apollo.data));
  expect(ours.errors.map(String)).toEqual(apollo.errors.map(String));
  return { ours, apollo, fastPath: ours.data === given && given !== null };
}

/** A list whose first item is a hole (as no JSON has, but a hand-built answer could). */
const holeAt0 = () => {
  const list: unknown[] = [];
  list[1] = record(1);
  return list;
};
const record = (i: number) => ({ id: `m${i}:s${i}`, name: `Service ${i}`, kind: i % 2 ? 'API' : 'DATASET', tags: ['a', 'b'], owner: { id: `m${i}`, name: `Member ${i}` } });
const QUERY = '{ services { id name kind tags owner { id name } } }';

describe('shaped response: the data as it is when Apollo would copy it unchanged', () => {
  it('hands back data already in the operation shape (keys in order, valid leaves, no nulls in non-null)', () => {
    const r = both(QUERY, () => ({ services: [record(1), record(2), record(3)] }));
    expect(r.fastPath).toBe(true);
    expect(r.ours.errors).toEqual([]);
  });

  it('takes the shortcut with aliases, a lookup that found nothing, and __typename naming an object type', () => {
    expect(
      both('{ list: services { key: id __typename label: name kind tags owner { id name } } lookup(id: "x") { id } }', () => ({
        list: [{ key: 'a:1', __typename: 'Service', label: null, kind: 'API', tags: null, owner: { id: 'a', name: 'A' } }],
        lookup: null,
      })).fastPath,
    ).toBe(true);
  });

  // every case below is one Apollo's shaping changes: it must get Apollo's result, not the input
  const changed: [string, string, () => Record<string, unknown>][] = [
    ['keys in another order', QUERY, () => ({ services: [{ name: 'n', id: 'a:1', kind: 'API', tags: [], owner: { id: 'a', name: 'A' } }] })],
    ['a key not asked for (a probe)', QUERY, () => ({ services: [{ ...record(1), infrared__id: 'm1:s1' }] })],
    ['__typename not asked for', QUERY, () => ({ services: [{ __typename: 'Service', ...record(1) }] })],
    ['a key missing', QUERY, () => ({ services: [{ id: 'a:1', kind: 'API', tags: [], owner: { id: 'a', name: 'A' } }] })],
    ['null where the schema says non-null', QUERY, () => ({ services: [{ ...record(1), kind: null }, record(2)] })],
    ['null in a non-null list item', QUERY, () => ({ services: [{ ...record(1), tags: ['a', null] }] })],
    ['a non-null object null deeper down', QUERY, () => ({ services: [{ ...record(1), owner: { id: 'a', name: null } }] })],
    ['a number where the schema says String', QUERY, () => ({ services: [{ ...record(1), name: 42 }] })],
    ['a value outside the enum', QUERY, () => ({ services: [{ ...record(1), kind: 'SPACESHIP' }] })],
    ['a fraction where the schema says Int', '{ services { id count } }', () => ({ services: [{ id: 'a:1', count: 1.5 }] })],
    ['a string where the schema says Float', '{ services { id score } }', () => ({ services: [{ id: 'a:1', score: '1' }] })],
    ['__typename naming no type', '{ services { id __typename } }', () => ({ services: [{ id: 'a:1', __typename: 'Nope' }] })],
    ['__typename naming an interface', '{ services { id __typename } }', () => ({ services: [{ id: 'a:1', __typename: 'Node' }] })],
    ['an aliased __typename that is null', '{ services { id t: __typename } }', () => ({ services: [{ id: 'a:1', t: null }] })],
    ['a fragment', '{ services { ...F } } fragment F on Service { id name }', () => ({ services: [{ id: 'a:1', name: 'n' }] })],
    ['an inline fragment on an interface', '{ node(id: "a") { id ... on Service { name } } }', () => ({ node: { id: 'a', name: 'n' } })],
    ['@include', '{ services { id name @include(if: false) } }', () => ({ services: [{ id: 'a:1', name: 'n' }] })],
    ['@skip with a variable', 'query($s: Boolean!) { services { id name @skip(if: $s) } }', () => ({ services: [{ id: 'a:1', name: 'n' }] })],
    ['introspection', '{ __schema { queryType { name } } services { id } }', () => ({ services: [{ id: 'a:1' }] })],
    ['an inherited enumerable key', '{ services { id } }', () => ({ services: [Object.create({ extra: 1 }, { id: { value: 'a:1', enumerable: true } })] })],
    ['a non-enumerable own key', '{ services { id name } }', () => ({ services: [Object.defineProperty({ id: 'a:1' }, 'name', { value: 'n', enumerable: false })] })],
  ];
  it.each(changed)('leaves %s to Apollo, with Apollo’s result', (_why, query, input) => {
    const r = both(query, input, { s: true });
    expect(r.fastPath).toBe(false);
  });

  it('leaves malformed data to Apollo, which refuses it the same way', () => {
    for (const input of [{ services: { id: 'a:1' } }, { services: ['a'] }, { services: [[record(1)]] }, { services: [undefined] }, { services: holeAt0() }]) {
      const r = both('{ services { id } }', () => structuredClone(input) as Record<string, unknown>);
      expect(r.fastPath).toBe(false);
    }
  });

  it('agrees with Apollo on many random corruptions of a shaped answer', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const oddValues = [null, undefined, 0, 1.5, -3, 'API', 'x', true, {}, [], ['a'], { id: 'q' }];
    const paths = ['id', 'name', 'kind', 'tags', 'owner', 'owner.id', 'owner.name', 'tags.0'];
    let fastOnes = 0;
    for (let n = 0; n < 400; n++) {
      const corrupt = () => {
        let s = seed;
        const r = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
        const services = [record(1), record(2)] as Record<string, unknown>[];
        if (r() < 0.8) {
          const target = services[Math.floor(r() * 2)];
          const path = paths[Math.floor(r() * paths.length)].split('.');
          const holder = path.length === 2 ? (target[path[0]] as Record<string, unknown>) : target;
          const key = path[path.length - 1];
          const action = r();
          if (action < 0.6) holder[key] = oddValues[Math.floor(r() * oddValues.length)];
          else if (action < 0.8) delete holder[key];
          else holder[`extra${key}`] = 1;
        }
        return { services };
      };
      const r = both(QUERY, corrupt);
      if (r.fastPath) fastOnes++;
      random();
    }
    // the untouched ones (and harmless changes) took the shortcut, the others did not
    expect(fastOnes).toBeGreaterThan(40);
    expect(fastOnes).toBeLessThan(400);
  });

  it('is installed in front of Apollo’s shaping for the pinned @apollo/gateway', () => {
    expect(installShapedResponse()).toBe(true);
    expect(installShapedResponse()).toBe(true);
    const installed = shaping.computeResponse;
    expect(installed).not.toBe(apolloShaping);
    const input = { services: [record(1)] };
    const operation = internals.operationFromDocument(schema, parse(QUERY));
    expect(installed({ operation, input, introspectionHandling: () => null } as ComputeResponseArgs).data).toBe(input);
  });
});
