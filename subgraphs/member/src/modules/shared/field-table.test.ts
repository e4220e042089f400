import 'reflect-metadata';
import { getMetadataStorage, type ClassType } from 'type-graphql';
import type { z } from 'zod';
import type { Caller } from '../../../../../common/caller';
import type { AccessScope } from '../../access/visibility';
import { trainingFields } from '../training/training.fields';
import { TrainingRecord } from '../training/training.entity';
import { TrainingInput } from '../training/training.input';
import { trainingSchema } from '../training/training.schema';
import { fromFileRow, fromValidInput, inputToValidate, toFileRow, toInputRow, toTypeFields, type FieldSpec } from './field-table';

const callers: Record<string, Caller> = {
  owner: { anonymous: false, member: 'alpha', subject: 'a', scopes: ['read'] },
  'member it is shared with': { anonymous: false, member: 'beta', subject: 'b', scopes: ['read'] },
  'other member': { anonymous: false, member: 'gamma', subject: 'g', scopes: ['read'] },
  anonymous: { anonymous: true, scopes: [] },
  'anonymous carrying the owner': { anonymous: true, member: 'alpha', scopes: ['read'] },
};
const scopeOf = (who: string): AccessScope => ({ owner: 'alpha', caller: callers[who] });
const owner = scopeOf('owner');

const namesIn = (table: object, place: 'file' | 'input'): string[] =>
  Object.entries(table as Record<string, FieldSpec<unknown>>)
    .map(([key, spec]) => (spec[place] === undefined ? key : spec[place]))
    .filter((name): name is string => name !== null);
const graphqlFieldsOf = (input: ClassType): string[] =>
  getMetadataStorage()
    .fields.filter((f) => f.target === input)
    .map((f) => f.name);
const schemaKeys = (schema: z.ZodObject, nested: string[] = []): string[] => Object.keys(schema.shape).filter((key) => key !== 'source' && !nested.includes(key));

describe('the training field table agrees with what it describes', () => {
  it.each([['training', trainingFields, trainingSchema, []]] as const)('%s: its data-file columns are its zod schema’s keys, in order', (_kind, table, schema, nested) => {
    expect(namesIn(table, 'file')).toEqual(schemaKeys(schema as unknown as z.ZodObject, [...nested]));
  });

  it.each([['training', trainingFields, TrainingInput]] as const)('%s: its writable fields are its GraphQL input’s fields', (_kind, table, input) => {
    expect(namesIn(table, 'input').sort()).toEqual(graphqlFieldsOf(input).sort());
  });
});

const training = {
  id: 'clinic',
  title: 'Clinic',
  description: { en: 'Bring your phone', sq: 'Sillni telefonin' },
  languages: ['sq'],
  format: 'IN_PERSON' as const,
  region: 'Balkans',
  startsAt: new Date('2027-01-16T08:00:00Z'),
  endsAt: null,
  seats: 12,
  visibility: 'MEMBERS' as const,
  sharedWith: ['beta'],
  version: 3,
} as unknown as TrainingRecord;

describe('the data file, from a field table', () => {
  it('exports a record with dates as ISO text and absent values left out, in column order', () => {
    const row = toFileRow(trainingFields, training);
    expect(row).toEqual({
      id: 'clinic',
      title: 'Clinic',
      description: { en: 'Bring your phone', sq: 'Sillni telefonin' },
      languages: ['sq'],
      format: 'IN_PERSON',
      region: 'Balkans',
      startsAt: '2027-01-16T08:00:00.000Z',
      seats: 12,
      visibility: 'MEMBERS',
      sharedWith: ['beta'],
    });
    expect(Object.keys(row)).toEqual(['id', 'title', 'description', 'languages', 'format', 'region', 'startsAt', 'seats', 'visibility', 'sharedWith']);
  });

  it.each([['training', trainingFields, trainingSchema, training]] as const)('%s: an exported row validates again and imports as the values it came from', (_kind, table, schema, record) => {
    const imported = fromFileRow(table as never, (schema as unknown as z.ZodType).parse(toFileRow(table as never, record as never)) as object);
    const { version: _version, ...stored } = record as unknown as Record<string, unknown>;
    expect(imported).toEqual(stored);
  });
});

describe('the write input, from a field table', () => {
  it('is the stored record as a client would send it: translations as a list, absent values undefined, server-set fields left out', () => {
    expect(toInputRow(trainingFields, training)).toEqual({
      id: 'clinic',
      title: 'Clinic',
      description: [
        { lang: 'en', text: 'Bring your phone' },
        { lang: 'sq', text: 'Sillni telefonin' },
      ],
      languages: ['sq'],
      format: 'IN_PERSON',
      region: 'Balkans',
      startsAt: training.startsAt,
      endsAt: undefined,
      seats: 12,
      visibility: 'MEMBERS',
      sharedWith: ['beta'],
    });
  });

  it('writes the stored record again unchanged (what a patch starts from)', () => {
    const values = fromValidInput(trainingFields, trainingSchema.parse(inputToValidate(trainingFields, toInputRow(trainingFields, training))));
    const { version: _version, ...writable } = training;
    expect(values).toEqual(writable);
    expect(values).not.toHaveProperty('version');
  });
});

describe('the GraphQL type, from a field table', () => {
  it('shows the global id, type names, and null for absent values', () => {
    expect(toTypeFields(trainingFields, training, owner)).toEqual({
      id: 'alpha:clinic',
      title: 'Clinic',
      descriptionTexts: training.description,
      languages: ['sq'],
      format: 'IN_PERSON',
      region: 'Balkans',
      startsAt: training.startsAt,
      endsAt: null,
      seats: 12,
      visibility: 'MEMBERS',
      sharedWith: ['beta'],
      version: 3,
    });
  });

  it.each(Object.keys(callers))('shows an owner-only field (sharedWith) to the owner only: %s', (who) => {
    expect(toTypeFields(trainingFields, training, scopeOf(who)).sharedWith).toEqual(who === 'owner' ? ['beta'] : null);
  });
});
