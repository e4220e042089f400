import { Kind, TypeInfo, getNamedType, parse, parseValue, print, validate, visit, visitWithTypeInfo, type DocumentNode } from 'graphql';
import { loadMemberContract } from '../../../schema/contract';
import { argumentValue, ID_PROBE, planOperation, pruneUnusedVariables, subsetOperation } from './operation-plan';

const contract = loadMemberContract();

/** For each selection set in the document: its parent type, and whether it carries the id probe. */
function probesByType(document: DocumentNode): { type: string; probed: boolean }[] {
  const typeInfo = new TypeInfo(contract.schema);
  const seen: { type: string; probed: boolean }[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet(node) {
        const parent = typeInfo.getParentType();
        const probes = node.selections.filter((s) => s.kind === Kind.FIELD && s.alias?.value === ID_PROBE);
        seen.push({ type: parent ? getNamedType(parent).name : '?', probed: probes.length > 0 });
        if (probes.length > 0) expect(probes).toEqual([expect.objectContaining({ name: expect.objectContaining({ value: 'id' }) })]);
      },
    }),
  );
  return seen;
}

/** The problems a member would report for this operation text (none when it is valid). */
function memberRejects(text: string): string[] {
  return validate(contract.schema, parse(text)).map((e) => e.message);
}

describe('planOperation: root fields', () => {
  it('finds root fields through aliases, inline fragments and named fragments', () => {
    const plan = planOperation(
      `query Q($id: ID!) {
        mine: services(limit: 2) { id }
        ... on Query { one: service(id: $id) { id } }
        ...More
      }
      fragment More on Query { projects { id } __typename }`,
      contract,
    );
    expect(plan.rootFields.map(({ responseKey, name, kind }) => ({ responseKey, name, kind }))).toEqual([
      { responseKey: 'mine', name: 'services', kind: 'list' },
      { responseKey: 'one', name: 'service', kind: 'lookup' },
      { responseKey: 'projects', name: 'projects', kind: 'list' },
      { responseKey: '__typename', name: '__typename', kind: 'typename' },
    ]);
    expect(plan.operation).toBe('query');
    expect(plan.entities).toBe(false);
    const mine = plan.rootFields[0];
    expect([...mine.args.keys()]).toEqual(['limit']);
    expect(argumentValue(mine.args.get('limit'), undefined)).toBe(2);
    expect(argumentValue(plan.rootFields[1].args.get('id'), { id: 'a:1' })).toBe('a:1');
  });

  it.each([
    ['service', 'lookup'],
    ['project', 'lookup'],
    ['services', 'list'],
    ['projects', 'list'],
    ['capacity', 'list'],
  ])('classifies %s as a %s', (field, kind) => {
    const args = kind === 'lookup' ? '(id: "a:1")' : '';
    const plan = planOperation(`{ ${field}${args} { id } }`, contract);
    expect(plan.rootFields).toEqual([expect.objectContaining({ name: field, kind })]);
  });

  it('recognises an _entities fetch', () => {
    const plan = planOperation('query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Service { name } } }', contract);
    expect(plan.entities).toBe(true);
    expect(plan.rootFields.map((f) => f.name)).toEqual(['_entities']);
  });

  it('recognises a mutation', () => {
    const plan = planOperation('mutation { removeService(id: "mail") }', contract);
    expect(plan.operation).toBe('mutation');
    expect(plan.rootFields.map((f) => f.responseKey)).toEqual(['removeService']);
  });

  it('refuses a document without an operation', () => {
    expect(() => planOperation('fragment F on Service { id }', contract)).toThrow(TypeError);
  });
});

describe('planOperation: id probes', () => {
  it('adds infrared__id: id to every selection of a type with an id (Member references too), not to Query', () => {
    const plan = planOperation(
      `{
        services { name capacity { total service { name } } member { id services { name } } }
        projects { name lead { id } }
      }`,
      contract,
    );
    const seen = probesByType(plan.probed);
    expect(
      seen
        .filter((s) => s.probed)
        .map((s) => s.type)
        .sort(),
    ).toEqual(['Capacity', 'Member', 'Member', 'Project', 'Service', 'Service', 'Service']);
    expect(
      seen
        .filter((s) => !s.probed)
        .map((s) => s.type)
        .sort(),
    ).toEqual(['Query']);
    expect(plan.probedText).toBe(print(plan.probed));
    expect(memberRejects(plan.probedText)).toEqual([]);
  });

  it('probes inside entity type conditions and fragments, not on the _Entity union itself', () => {
    const plan = planOperation(
      `query($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Service { name } ... on Member { id } ...P }
      }
      fragment P on Project { name }`,
      contract,
    );
    const seen = probesByType(plan.probed);
    expect(seen).toEqual(
      expect.arrayContaining([
        { type: '_Entity', probed: false },
        { type: 'Service', probed: true },
        { type: 'Member', probed: true },
        { type: 'Project', probed: true },
      ]),
    );
    expect(memberRejects(plan.probedText)).toEqual([]);
  });

  it('does not add a second probe where one is already there, and leaves the input text untouched', () => {
    const query = `{ services { id ${ID_PROBE}: id } }`;
    const plan = planOperation(query, contract);
    expect(plan.probedText.match(new RegExp(ID_PROBE, 'g'))).toHaveLength(1);
    expect(query).toBe(`{ services { id ${ID_PROBE}: id } }`);
  });
});

describe('subsetOperation', () => {
  const query = `query Q($f: ServiceFilter, $n: Int, $id: ID!, $lang: String) {
    services(filter: $f, limit: $n) { name description(lang: $lang) }
    service(id: $id) { name }
    projects { name summary(lang: $lang) }
  }`;

  it('returns the whole probed operation when every root field is kept', () => {
    const plan = planOperation(query, contract);
    expect(subsetOperation(plan, new Set(['services', 'service', 'projects']))).toBe(plan.probedText);
  });

  it.each([
    [['service'], ['service'], ['id']],
    [['services'], ['services'], ['f', 'n', 'lang']],
    [
      ['service', 'projects'],
      ['service', 'projects'],
      ['id', 'lang'],
    ],
  ])('keeps only %j, with only the variables they use', (keep, fields, variables) => {
    const plan = planOperation(query, contract);
    const text = subsetOperation(plan, new Set(keep));
    const doc = parse(text);
    const op = doc.definitions[0];
    if (op.kind !== Kind.OPERATION_DEFINITION) throw new Error('expected an operation');
    expect(op.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : s.kind))).toEqual(fields);
    expect((op.variableDefinitions ?? []).map((v) => v.variable.name.value)).toEqual(variables);
    expect(text).toContain(`${ID_PROBE}: id`);
    expect(memberRejects(text)).toEqual([]);
  });

  it('keeps aliases apart: one alias of a field can be kept without the other', () => {
    const plan = planOperation('query($n: Int) { two: services(limit: $n) { id } all: services { id } }', contract);
    const text = subsetOperation(plan, new Set(['all']));
    expect(text).not.toContain('two:');
    expect(text).not.toContain('$n');
    expect(memberRejects(text)).toEqual([]);
  });

  it('drops the fragments (and their variables) only the removed fields used', () => {
    const plan = planOperation(
      `query Q($id: ID!, $f: ServiceFilter, $lang: String) {
        services(filter: $f) { ...S }
        service(id: $id) { ...T }
      }
      fragment S on Service { name ...Shared }
      fragment T on Service { url description(lang: $lang) }
      fragment Shared on Service { kind }`,
      contract,
    );
    const listOnly = subsetOperation(plan, new Set(['services']));
    expect(listOnly).not.toMatch(/fragment T\b/);
    expect(listOnly).toMatch(/fragment Shared\b/);
    expect(listOnly).not.toContain('$lang');
    expect(memberRejects(listOnly)).toEqual([]);
    const lookupOnly = subsetOperation(plan, new Set(['service']));
    expect(lookupOnly).not.toMatch(/fragment S\b/);
    expect(lookupOnly).not.toMatch(/fragment Shared\b/);
    expect(lookupOnly).toContain('$lang');
    expect(memberRejects(lookupOnly)).toEqual([]);
  });

  it('caches each subset on the plan, whatever order the keys come in', () => {
    const plan = planOperation(query, contract);
    const first = subsetOperation(plan, new Set(['projects', 'service']));
    expect([...plan.subsets.keys()]).toEqual(['projects,service']);
    expect(plan.subsets.get('projects,service')).toBe(first);
    // the cached text is what comes back (it is not rendered again)
    plan.subsets.set('projects,service', 'cached text');
    expect(subsetOperation(plan, new Set(['service', 'projects']))).toBe('cached text');
    expect(plan.subsets.size).toBe(1);
  });
});

describe('pruneUnusedVariables', () => {
  it('removes unused variable definitions and unreachable fragments, keeping the rest', () => {
    const document = parse(`query Q($used: ID!, $unused: Int, $inFragment: String, $inDeadFragment: String) {
      service(id: $used) { ...A }
    }
    fragment A on Service { name ...B }
    fragment B on Service { description(lang: $inFragment) }
    fragment Dead on Service { summary: description(lang: $inDeadFragment) }`);
    const text = print(pruneUnusedVariables(document));
    expect(text).toContain('query Q($used: ID!, $inFragment: String)');
    expect(text).toMatch(/fragment A on Service/);
    expect(text).toMatch(/fragment B on Service/);
    expect(text).not.toContain('Dead');
    expect(memberRejects(text)).toEqual([]);
  });
});

describe('argumentValue', () => {
  const variables = { n: 5, who: ['a', 'b'], text: 'mail', nothing: null };
  it.each([
    ['an Int', '3', 3],
    ['a Float', '2.5', 2.5],
    ['a String', '"hello"', 'hello'],
    ['an enum', 'EMAIL', 'EMAIL'],
    ['a Boolean', 'false', false],
    ['null', 'null', null],
    ['a variable', '$n', 5],
    ['a variable set to null', '$nothing', null],
    ['an unset variable', '$missing', undefined],
    ['a list with a variable', '[1, $n, "x"]', [1, 5, 'x']],
    [
      'an object with nested variables',
      '{ members: $who, text: $text, kinds: [EMAIL, VPN], inner: { on: true } }',
      { members: ['a', 'b'], text: 'mail', kinds: ['EMAIL', 'VPN'], inner: { on: true } },
    ],
  ])('resolves %s', (_name, literal, expected) => {
    expect(argumentValue(parseValue(literal), variables)).toEqual(expected);
  });

  it('answers undefined for no argument, and for variables when none were sent', () => {
    expect(argumentValue(undefined, variables)).toBeUndefined();
    expect(argumentValue(parseValue('$n'), undefined)).toBeUndefined();
  });
});
