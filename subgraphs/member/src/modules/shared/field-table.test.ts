import 'reflect-metadata';
import { MetadataStorage } from '@mikro-orm/core';
import { getMetadataStorage, type ClassType } from 'type-graphql';
import type { z } from 'zod';
import type { Caller } from '../../../../../common/caller';
import type { AccessScope } from '../../access/visibility';
import { capacityFields } from '../capacity/capacity.fields';
import { CapacityRecord } from '../capacity/capacity.entity';
import { CapacityInput } from '../capacity/capacity.input';
import { capacitySchema } from '../capacity/capacity.schema';
import { toCapacity } from '../capacity/capacity.mapper';
import { CapacityType } from '../capacity/capacity.type';
import { incidentFields } from '../incident/incident.fields';
import { IncidentRecord } from '../incident/incident.entity';
import { IncidentInput } from '../incident/incident.input';
import { incidentSchema } from '../incident/incident.schema';
import { ParticipationRecord } from '../participation/participation.entity';
import { participationFields } from '../participation/participation.fields';
import { participationSchema } from '../participation/participation.schema';
import { toParticipation } from '../participation/participation.mapper';
import { ParticipationType } from '../participation/participation.type';
import { projectFields } from '../project/project.fields';
import { ProjectRecord } from '../project/project.entity';
import { ProjectInput } from '../project/project.input';
import { projectSchema } from '../project/project.schema';
import { serviceFields } from '../service/service.fields';
import { ServiceRecord } from '../service/service.entity';
import { ServiceInput } from '../service/service.input';
import { serviceSchema } from '../service/service.schema';
import { SupportNeedRecord, SupportOfferRecord } from '../support/support.entity';
import { supportFields } from '../support/support.fields';
import { supportSchema } from '../support/support.schema';
import { trainingFields } from '../training/training.fields';
import { TrainingRecord } from '../training/training.entity';
import { TrainingInput } from '../training/training.input';
import { trainingSchema } from '../training/training.schema';
import { toTraining } from '../training/training.mapper';
import { TrainingType } from '../training/training.type';
import { fromFileRow, fromValidInput, inputToValidate, toFileRow, toInputRow, toTypeFields, type FieldSpec, type FileRow, type InputRow, type TypeFields, type WrittenValues } from './field-table';

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
/** An entity's stored properties (its own and its base classes'), each with whether its column is nullable. */
function storedProperties(entity: abstract new (...args: never[]) => object): Map<string, boolean> {
  const properties = new Map<string, boolean>();
  for (let c: unknown = entity; typeof c === 'function' && c !== Object && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    for (const [name, p] of Object.entries(MetadataStorage.getMetadataFromDecorator(c as never).properties))
      if (!properties.has(name)) properties.set(name, (p as { nullable?: boolean }).nullable === true);
  }
  return properties;
}
/** What every shared record stores that no kind's table lists: the import's and the database's own. */
const NOT_IN_TABLES = ['source', 'createdAt', 'updatedAt'];
const schemaKeys = (schema: z.ZodObject, nested: string[] = []): string[] => Object.keys(schema.shape).filter((key) => key !== 'source' && !nested.includes(key));

describe('the kinds’ field tables agree with what they describe', () => {
  it.each([
    ['service', serviceFields, serviceSchema, ['capacity']],
    ['capacity', capacityFields, capacitySchema, []],
    ['project', projectFields, projectSchema, []],
    ['incident', incidentFields, incidentSchema, []],
    ['support', supportFields, supportSchema, []],
    ['training', trainingFields, trainingSchema, []],
    ['participation', participationFields, participationSchema, []],
  ] as const)('%s: its data-file columns are its zod schema’s keys, in order', (_kind, table, schema, nested) => {
    expect(namesIn(table, 'file')).toEqual(schemaKeys(schema as unknown as z.ZodObject, [...nested]));
  });

  it.each([
    ['service', serviceFields, ServiceRecord],
    ['capacity', capacityFields, CapacityRecord],
    ['project', projectFields, ProjectRecord],
    ['incident', incidentFields, IncidentRecord],
    ['support offer', supportFields, SupportOfferRecord],
    ['support need', supportFields, SupportNeedRecord],
    ['training', trainingFields, TrainingRecord],
    ['participation', participationFields, ParticipationRecord],
  ] as const)('%s: it lists every stored field, and its optional fields are the nullable columns', (_kind, table, entity) => {
    const stored = storedProperties(entity);
    const specs = Object.entries(table as Record<string, FieldSpec<unknown>>);
    expect(specs.map(([name]) => name).sort()).toEqual([...stored.keys()].filter((name) => !NOT_IN_TABLES.includes(name)).sort());
    for (const [name, spec] of specs) expect(`${name}: ${spec.optional ? 'optional' : 'required'}`).toBe(`${name}: ${stored.get(name) ? 'optional' : 'required'}`);
  });

  it.each([
    ['service', serviceFields, ServiceInput],
    ['capacity', capacityFields, CapacityInput],
    ['project', projectFields, ProjectInput],
    ['incident', incidentFields, IncidentInput],
    ['training', trainingFields, TrainingInput],
  ] as const)('%s: its writable fields are its GraphQL input’s fields', (_kind, table, input) => {
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

  it('writes a column under its data-file name (`invited` is `participants`)', () => {
    const project = {
      id: 'p',
      name: 'P',
      area: 'SOLIDARITY',
      status: 'ACTIVE',
      summary: {},
      invited: ['beta'],
      needs: [],
      startedAt: null,
      visibility: 'PUBLIC',
      sharedWith: [],
      version: 1,
    } as unknown as ProjectRecord;
    expect(toFileRow(projectFields, project)).toEqual({
      id: 'p',
      name: 'P',
      area: 'SOLIDARITY',
      status: 'ACTIVE',
      summary: {},
      participants: ['beta'],
      needs: [],
      visibility: 'PUBLIC',
      sharedWith: [],
    });
  });

  it.each([
    ['training', trainingFields, trainingSchema, training],
    [
      'project',
      projectFields,
      projectSchema,
      {
        id: 'p',
        name: 'P',
        area: 'SHARED_INFRASTRUCTURE',
        status: 'ACTIVE',
        summary: { en: 'x' },
        invited: ['beta'],
        needs: ['disks'],
        startedAt: new Date('2026-01-01T00:00:00Z'),
        visibility: 'NETWORK',
        sharedWith: [],
      },
    ],
    [
      'capacity',
      capacityFields,
      capacitySchema,
      { id: 'c', resource: 'STORAGE_GB', total: 10, used: 4, measuredAt: new Date('2026-11-01T00:00:00Z'), visibility: 'MEMBERS', numbersVisibility: 'OWNER', sharedWith: ['beta'] },
    ],
  ] as const)('%s: an exported row validates again and imports as the values it came from', (_kind, table, schema, record) => {
    const imported = fromFileRow(table as never, (schema as unknown as z.ZodType).parse(toFileRow(table as never, record as never)) as object);
    const { version: _version, ...stored } = record as unknown as Record<string, unknown>;
    expect(imported).toEqual(stored);
  });

  it('imports an absent optional column as null, and leaves an absent required one to the entity', () => {
    const parsed = capacitySchema.parse({ id: 'c', resource: 'STORAGE_GB', total: 1, used: 0, visibility: 'PUBLIC' });
    expect(fromFileRow(capacityFields, parsed)).toEqual({ id: 'c', resource: 'STORAGE_GB', total: 1, used: 0, visibility: 'PUBLIC', numbersVisibility: null, sharedWith: [] });
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

  it('reads a GraphQL input: nulls are "not given", translations become a map, renamed fields are stored under their own name', () => {
    const input = {
      id: 'p',
      name: 'P',
      area: 'SHARED_INFRASTRUCTURE',
      status: 'ACTIVE',
      summary: [{ lang: 'en', text: 'x' }],
      participants: ['beta'],
      needs: null,
      startedAt: null,
      visibility: 'PUBLIC',
      sharedWith: null,
    };
    const toValidate = inputToValidate(projectFields, input);
    expect(toValidate).toEqual({ id: 'p', name: 'P', area: 'SHARED_INFRASTRUCTURE', status: 'ACTIVE', summary: { en: 'x' }, participants: ['beta'], visibility: 'PUBLIC' });
    expect(fromValidInput(projectFields, projectSchema.parse(toValidate))).toEqual({
      id: 'p',
      name: 'P',
      area: 'SHARED_INFRASTRUCTURE',
      status: 'ACTIVE',
      summary: { en: 'x' },
      invited: ['beta'],
      needs: [],
      startedAt: null,
      visibility: 'PUBLIC',
      sharedWith: [],
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

  it.each(Object.keys(callers))('applies a kind’s own rule (capacity numbers under numbersVisibility OWNER): %s', (who) => {
    // the driver may answer a float column as text: the type shows a number
    const figure = { id: 'c', resource: 'STORAGE_GB', total: '10', used: 4, visibility: 'MEMBERS', numbersVisibility: 'OWNER', sharedWith: ['beta'], version: 1 } as unknown as CapacityRecord;
    const fields = toTypeFields(capacityFields, figure, scopeOf(who));
    expect([fields.total, fields.used]).toEqual(who === 'owner' ? [10, 4] : [null, null]);
    expect(fields.localServiceId).toBeNull();
  });
});

describe('a kind’s mapper: an instance of its type with the record’s times, the table’s fields and its own', () => {
  const times = { createdAt: new Date('2026-01-01T00:00:00Z'), updatedAt: new Date('2026-02-01T00:00:00Z') };

  it.each(Object.keys(callers))('training, seen by %s: owner-only fields null for everyone else', (who) => {
    const record = { ...training, ...times } as TrainingRecord;
    const mapped = toTraining(record, scopeOf(who));
    expect(mapped).toBeInstanceOf(TrainingType);
    expect({ ...mapped }).toEqual({ ...times, ...toTypeFields(trainingFields, record, scopeOf(who)), localId: 'clinic', member: expect.objectContaining({ id: 'alpha' }) });
    expect(mapped.sharedWith).toEqual(who === 'owner' ? ['beta'] : null);
  });

  it.each(Object.keys(callers))('capacity, seen by %s: available derived from the numbers it may see, else null', (who) => {
    const record = { ...times, id: 'c', resource: 'STORAGE_GB', total: 10, used: 4, visibility: 'MEMBERS', numbersVisibility: 'OWNER', sharedWith: ['beta'], version: 1 } as unknown as CapacityRecord;
    const mapped = toCapacity(record, scopeOf(who));
    expect(mapped).toBeInstanceOf(CapacityType);
    expect([mapped.total, mapped.used, mapped.available]).toEqual(who === 'owner' ? [10, 4, 6] : [null, null, null]);
    expect(mapped.numbersVisibility).toBe('OWNER');
    expect(mapped.createdAt).toBe(times.createdAt);
  });

  it('participation: the global id from the project, the table’s fields after it', () => {
    const record = { ...times, projectId: 'p1', role: null, confirmedAt: null, visibility: 'NETWORK', sharedWith: [], version: 1 } as unknown as ParticipationRecord;
    const mapped = toParticipation(record, owner);
    expect(mapped).toBeInstanceOf(ParticipationType);
    expect(mapped).toMatchObject({ id: 'alpha:p1', role: null, visibility: 'NETWORK', member: { id: 'alpha' }, updatedAt: times.updatedAt });
  });
});

describe('types inferred from a field table', () => {
  it('names each field as each place does, with the value it has there', () => {
    const project = {
      id: 'p',
      name: 'P',
      area: 'SOLIDARITY',
      status: 'ACTIVE',
      summary: { en: 'x' },
      invited: ['beta'],
      needs: [],
      startedAt: null,
      visibility: 'PUBLIC',
      sharedWith: [],
      version: 1,
    } as unknown as ProjectRecord;
    const row: FileRow<typeof projectFields> = toFileRow(projectFields, project);
    const input: InputRow<typeof projectFields> = toInputRow(projectFields, project);
    const fields: TypeFields<typeof projectFields> = toTypeFields(projectFields, project, owner);
    const written: WrittenValues<ProjectRecord, typeof projectFields> = fromValidInput(projectFields, projectSchema.parse(inputToValidate(projectFields, input)));
    // @ts-expect-error -- `invited` is `participants` in the data file
    expect(row.invited).toBeUndefined();
    // @ts-expect-error -- the version is the server's: not in the write input
    expect(input.version).toBeUndefined();
    // @ts-expect-error -- the summary is `summaryTexts` on the type
    expect(fields.summary).toBeUndefined();
    const summaryInput: { lang: string; text: string }[] | undefined = input.summary;
    const startedInFile: string | undefined = row.startedAt;
    expect([row.participants, summaryInput, startedInFile, fields.invited, written.invited]).toEqual([['beta'], [{ lang: 'en', text: 'x' }], undefined, [{ id: 'beta' }], ['beta']]);
  });
});
