import 'reflect-metadata';
import { GraphQLError, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, printType } from 'graphql';
import { buildMemberSchema } from '../../graphql/schema';
import { RECORD_KINDS } from '..';
import { applyPatch } from './patch-resolver';

describe('applyPatch', () => {
  const current = { id: 'x', status: 'OPEN', mitigation: 'edge limits', indicators: [{ type: 'IP', value: '192.0.2.1' }] };
  const nullable = (field: string) => field === 'mitigation';

  it('keeps absent fields, replaces given ones, and replaces lists whole', () => {
    const { input, cleared } = applyPatch(current, { status: 'CLOSED', indicators: [] }, nullable);
    expect(input).toEqual({ id: 'x', status: 'CLOSED', mitigation: 'edge limits', indicators: [] });
    expect([...cleared]).toEqual([]);
  });

  it('null clears a nullable field (it becomes absent, and is named in cleared)', () => {
    const { input, cleared } = applyPatch(current, { mitigation: null }, nullable);
    expect(input).toEqual({ id: 'x', status: 'OPEN', indicators: current.indicators });
    expect([...cleared]).toEqual(['mitigation']);
  });

  it('refuses null on a required field and an empty patch, naming the fields', () => {
    const refused = (() => {
      try {
        applyPatch(current, { status: null, indicators: null }, nullable);
      } catch (err) {
        return err as GraphQLError;
      }
      throw new Error('expected a refusal');
    })();
    expect(refused.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: ['status: cannot be cleared (leave it out to keep its value)', 'indicators: cannot be cleared (leave it out to keep its value, or send [] to empty it)'],
    });
    expect(() => applyPatch(current, {}, nullable)).toThrow(/names no field to change/);
  });
});

describe('generated patch inputs', () => {
  const schema = buildMemberSchema().schema;

  it('every writable kind has update<Type>(id, patch, expectedVersion) with a <Type>Patch', () => {
    const mutations = schema.getMutationType()!.getFields();
    const writable = RECORD_KINDS.flatMap((k) => (k.writes ? [k.writes.typeName] : []));
    expect(writable.length).toBeGreaterThanOrEqual(4);
    for (const type of writable) {
      const update = mutations[`update${type}`];
      // the schema is sorted lexicographically
      expect(update.args.map((a) => [a.name, String(a.type)])).toEqual([
        ['expectedVersion', 'Int'],
        ['id', 'ID!'],
        ['patch', `${type}Patch!`],
      ]);
      expect(String(update.type)).toBe(`${type}!`);
    }
  });

  it('a patch has the full input fields but id, each one optional, with the same named and list types', () => {
    for (const kind of RECORD_KINDS) {
      if (!kind.writes) continue;
      const patch = schema.getType(`${kind.writes.typeName}Patch`) as GraphQLInputObjectType;
      const full = schema.getType(`${kind.writes.typeName}Input`) as GraphQLInputObjectType;
      const fullFields = full.getFields();
      expect(Object.keys(patch.getFields()).sort()).toEqual(
        Object.keys(fullFields)
          .filter((f) => f !== 'id')
          .sort(),
      );
      for (const field of Object.values(patch.getFields())) {
        expect(field.type).not.toBeInstanceOf(GraphQLNonNull);
        expect(field.defaultValue).toBeUndefined();
        const source = fullFields[field.name].type;
        const unwrapped = source instanceof GraphQLNonNull ? source.ofType : source;
        expect(String(field.type)).toBe(String(unwrapped));
        expect(field.type instanceof GraphQLList).toBe(unwrapped instanceof GraphQLList);
      }
    }
    expect(printType(schema.getType('CapacityPatch')!)).toContain('used: Float\n');
  });

  it('every record type shows its version', () => {
    for (const kind of RECORD_KINDS) {
      for (const typeName of Object.keys(kind.references)) {
        const type = schema.getType(typeName) as { getFields(): Record<string, { type: unknown }> };
        expect(String(type.getFields().version?.type)).toBe('Int!');
      }
    }
  });
});
