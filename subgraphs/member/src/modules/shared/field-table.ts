import { isOwnerCaller, type AccessScope } from '../../access/visibility';
import { asIs, type FieldCodec } from './field-codecs';
import { omitEmpty } from './data-file';
import { stripNulls } from './write-input';

/**
 * Who may see a field on the GraphQL type (null for everyone else): every caller who may see the
 * record, its owner only, or the callers a rule of the kind lets see it (given the record).
 */
export type FieldVisibility = 'record' | 'owner' | ((record: never, scope: AccessScope) => boolean);

/**
 * One field of a record kind: how its stored value is written (`codec`), and its name in each
 * place it appears. A name of `undefined` is the stored property's own name; `null` means the
 * field is not there: `file: null` is not in the data file, `input: null` is set by the server
 * (not writable), `type: null` is not on the GraphQL type as it is (the kind's mapper shows it,
 * or nothing does).
 */
export interface FieldSpec<
  V = never,
  FileValue = unknown,
  InputValue = unknown,
  TypeValue = unknown,
  File extends string | null | undefined = string | null | undefined,
  Input extends string | null | undefined = string | null | undefined,
  Type extends string | null | undefined = string | null | undefined,
  Optional extends boolean = boolean,
> {
  readonly codec: FieldCodec<V, FileValue, InputValue, TypeValue>;
  /**
   * Stored as null when absent: left out of the data file and the write input, null on the type,
   * and null when an import or a write does not give it. A field that is not optional and not
   * given keeps its stored value (or the entity's default).
   */
  readonly optional: Optional;
  readonly file: File;
  readonly input: Input;
  readonly type: Type;
  readonly visibility: FieldVisibility;
}

/** Where a field appears and whether it may be absent; every part is optional (see FieldSpec). */
export interface FieldOptions<File, Input, Type, Optional> {
  file?: File;
  input?: Input;
  type?: Type;
  optional?: Optional;
  visibility?: FieldVisibility;
}

/**
 * Declares one field of a kind's field table.
 * @example
 * field(translationsCodec, { type: 'summaryTexts' }) // `summary` everywhere, `summaryTexts` on the type
 * field(asIs<string[]>(), { file: 'participants', input: 'participants' }) // stored as `invited`
 */
export function field<
  V,
  FileValue,
  InputValue,
  TypeValue,
  File extends string | null | undefined = undefined,
  Input extends string | null | undefined = undefined,
  Type extends string | null | undefined = undefined,
  Optional extends boolean = false,
>(
  codec: FieldCodec<V, FileValue, InputValue, TypeValue>,
  options: FieldOptions<File, Input, Type, Optional> = {},
  // the names and `optional` are what the options say (or their defaults), never what a table expects
): FieldSpec<V, FileValue, InputValue, TypeValue, NoInfer<File>, NoInfer<Input>, NoInfer<Type>, NoInfer<Optional>> {
  return {
    codec,
    optional: (options.optional ?? false) as Optional,
    file: options.file as File,
    input: options.input as Input,
    type: options.type as Type,
    visibility: options.visibility ?? 'record',
  };
}

/** A field shown to every caller who may see the record, under its own name everywhere. */
export function plainField<V>(): FieldSpec<V, V, V, V, undefined, undefined, undefined, false> {
  return field(asIs<V>());
}

/** A field that may be absent (stored as null), under its own name everywhere. */
export function optionalField<V>(): FieldSpec<V, V, V, V, undefined, undefined, undefined, true> {
  return field(asIs<V>(), { optional: true });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table holds fields of every value type
type AnyField = FieldSpec<any, unknown, unknown, unknown>;

declare const storedRecord: unique symbol;
/** A kind's fields by stored property, in data-file column order; it knows the record it describes (type only). */
export type FieldTable<R> = { readonly [K in keyof R]?: AnyField };
/** What a field table built by `fieldTable` knows about its record (types only: nothing at run time). */
export type DescribesRecord<R> = { readonly [storedRecord]?: R };

/** A field's name in one place: its own name when not renamed, never when absent (null). */
type NameIn<Name, Own> = Name extends string ? Name : Name extends null ? never : Own & string;
type Maybe<F, Value> = F extends { optional: true } ? Value | undefined : Value;

/** A `member export` row of a kind, inferred from its field table. */
export type FileRow<T> = { [K in keyof T as NameIn<T[K] extends { file: infer N } ? N : never, K>]: T[K] extends FieldSpec<never, infer F> ? Maybe<T[K], F> : never };
/** A record of a kind in its write input shape (`toInput`), inferred from its field table. */
export type InputRow<T> = { [K in keyof T as NameIn<T[K] extends { input: infer N } ? N : never, K>]: T[K] extends FieldSpec<never, unknown, infer I> ? Maybe<T[K], I> : never };
/** The fields a kind's mapper takes from its field table, inferred from it. */
export type TypeFields<T> = { [K in keyof T as NameIn<T[K] extends { type: infer N } ? N : never, K>]: T[K] extends FieldSpec<never, unknown, unknown, infer V> ? V | null : never };
/** The stored values a data-file row gives, by stored property (a field the row leaves out may be missing). */
export type FileValues<R, T> = { [K in keyof T & keyof R as T[K] extends { file: null } ? never : K]?: R[K] };
/** The stored values a validated write input gives, by stored property: every writable field. */
export type WrittenValues<R, T> = { [K in keyof T & keyof R as T[K] extends { input: null } ? never : K]: R[K] };

/**
 * A kind's field table, checked against its entity: every key is a stored property, and each
 * field's codec takes that property's values.
 * @example
 * export const projectFields = fieldTable(ProjectRecord)({ id: plainField<string>(), startedAt: field(dateCodec, { optional: true }) });
 */
export function fieldTable<R extends object>(_entity: abstract new (...args: never[]) => R) {
  return <const T extends { [K in keyof T]: K extends keyof R ? FieldSpec<NonNullable<R[K]>, unknown, unknown, unknown> : never }>(fields: T): T & DescribesRecord<R> => fields;
}

/** A field with its names resolved: the derivations below run per record, so a table is read once. */
interface ResolvedField {
  readonly key: string;
  readonly spec: AnyField;
  readonly file: string | null;
  readonly input: string | null;
  readonly type: string | null;
}

const resolvedTables = new WeakMap<object, readonly ResolvedField[]>();

function fieldsOf(table: object): readonly ResolvedField[] {
  let fields = resolvedTables.get(table);
  if (!fields) {
    const nameIn = (key: string, name: string | null | undefined) => (name === undefined ? key : name);
    fields = Object.entries(table as Record<string, AnyField>).map(([key, spec]) => ({ key, spec, file: nameIn(key, spec.file), input: nameIn(key, spec.input), type: nameIn(key, spec.type) }));
    resolvedTables.set(table, fields);
  }
  return fields;
}

/** A stored record as a `member export` row: absent and null values left out, so that the row validates again. */
export function toFileRow<R extends object, T extends FieldTable<R>>(table: T, record: R): FileRow<T> {
  const row: Record<string, unknown> = {};
  for (const { key, spec, file } of fieldsOf(table)) {
    const value = (record as Record<string, unknown>)[key];
    if (file !== null) row[file] = value === null || value === undefined ? undefined : spec.codec.toFile(value as never);
  }
  return omitEmpty(row) as FileRow<T>;
}

/**
 * A validated data-file row as stored values (what `member import` upserts): an optional field
 * the row leaves out is stored as null; any other field it leaves out keeps the entity's default.
 */
export function fromFileRow<R extends object, T extends FieldTable<R>>(table: T & DescribesRecord<R>, row: object): FileValues<R, T> {
  return storedValues(table, 'file', row as Record<string, unknown>) as FileValues<R, T>;
}

/** A stored record in its write input shape: what a client would send to write it again unchanged (absent values are left undefined). */
export function toInputRow<R extends object, T extends FieldTable<R>>(table: T, record: R): InputRow<T> {
  const input: Record<string, unknown> = {};
  for (const { key, spec, input: name } of fieldsOf(table)) {
    const value = (record as Record<string, unknown>)[key];
    if (name !== null) input[name] = value === null || value === undefined ? undefined : spec.codec.toInput(value as never);
  }
  return input as InputRow<T>;
}

/** A write input (GraphQL: null means "not given") as the kind's zod schema reads it: nulls left out, values in their stored form. */
export function inputToValidate<T extends object>(table: T, input: Record<string, unknown>): Record<string, unknown> {
  const value: Record<string, unknown> = stripNulls(input);
  for (const { spec, input: name } of fieldsOf(table)) {
    if (name !== null && spec.codec.fromInput) value[name] = spec.codec.fromInput(input[name] as never);
  }
  return value;
}

/** A validated write input as stored values: every writable field, optional ones null when not given. */
export function fromValidInput<R extends object, T extends FieldTable<R>>(table: T & DescribesRecord<R>, data: object): WrittenValues<R, T> {
  return storedValues(table, 'input', data as Record<string, unknown>) as WrittenValues<R, T>;
}

function storedValues(table: object, place: 'file' | 'input', source: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fieldsOf(table)) {
    const { key, spec } = field;
    const name = field[place];
    if (name === null) continue;
    const value = source[name];
    if (spec.optional) values[key] = value ?? null;
    else if (value !== undefined) values[key] = value;
  }
  return values;
}

/**
 * The fields of the GraphQL type that the table shows: each under its type name, null when
 * absent, and a field the caller may not see (its `visibility`) null. The kind's mapper adds what
 * is not a stored value as it is (the `member` reference, derived values).
 *
 * Mappers copy it onto their type with `Object.assign(new Type(), times, fields, extra)`, never
 * by spreading it into an object literal: on Node 20 a literal that spreads this object (its keys
 * set one by one) after another spread took 30–60 µs per record, `Object.assign` about 1 µs
 * (a member answering 10 services paid ~0.4 ms per call for it).
 */
export function toTypeFields<R extends object, T extends FieldTable<R>>(table: T, record: R, scope: AccessScope): TypeFields<T> {
  const fields: Record<string, unknown> = {};
  for (const { key, spec, type: name } of fieldsOf(table)) {
    if (name === null) continue;
    const value = (record as Record<string, unknown>)[key];
    if (!mayShow(spec.visibility, record, scope)) fields[name] = null;
    else fields[name] = value === null || value === undefined ? null : spec.codec.toType(value as never, scope);
  }
  return fields as TypeFields<T>;
}

function mayShow(visibility: FieldVisibility, record: object, scope: AccessScope): boolean {
  if (visibility === 'record') return true;
  if (visibility === 'owner') return isOwnerCaller(scope);
  return (visibility as (record: object, scope: AccessScope) => boolean)(record, scope);
}
