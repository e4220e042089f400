import type { Translations } from '../../../../../schema/enums';
import type { AccessScope } from '../../access/visibility';
import { isoDate } from './data-file';
import { toTranslations } from './write-input';

/**
 * How one stored value is written wherever a record's field appears: in a `member export` row, in
 * the write input (what a client would send to write it again), and on the GraphQL type. A
 * `member import` row and a validated write input hold the stored value as it is (the kind's zod
 * schema already turned it into one: a date is a `Date`, translations are a map).
 *
 * @example
 * const cents: FieldCodec<number, string> = codec({ toFile: (n) => (n / 100).toFixed(2) });
 */
export interface FieldCodec<V, FileValue = V, InputValue = V, TypeValue = V> {
  /** The value in a `member export` row. */
  toFile(value: V): FileValue;
  /** The value in the write input (`toInput`: the patch is applied to it). */
  toInput(value: V): InputValue;
  /** A write input's value as its zod schema reads it (e.g. `[{ lang, text }]` to `{ lang: text }`), when it differs. */
  fromInput?(value: InputValue | null | undefined): unknown;
  /** The value on the GraphQL type. */
  toType(value: V, scope: AccessScope): TypeValue;
}

/** A codec that writes the value as it is, except where `overrides` says otherwise. */
export function codec<V, FileValue = V, InputValue = V, TypeValue = V>(overrides: Partial<FieldCodec<V, FileValue, InputValue, TypeValue>> = {}): FieldCodec<V, FileValue, InputValue, TypeValue> {
  const same = (value: V) => value as never;
  return { toFile: same, toInput: same, toType: same, ...overrides };
}

/** Text, numbers, flags, enum values, lists and JSON stored as they are shown everywhere. */
export const asIs = <V>(): FieldCodec<V> => codec<V>();

/** A date: ISO 8601 text in the data file, a `Date` in the write input and on the type. */
export const dateCodec: FieldCodec<Date, string | undefined> = codec<Date, string | undefined>({ toFile: isoDate });

/** A float column: the database driver may answer text, so the file and the type read it as a number. */
export const numberCodec: FieldCodec<number> = codec<number>({ toFile: Number, toType: Number });

/** One text per language: a map in the data file and on the type, `[{ lang, text }]` in the write input. */
export const translationsCodec: FieldCodec<Translations, Translations, { lang: string; text: string }[]> = codec<Translations, Translations, { lang: string; text: string }[]>({
  toInput: (texts) => Object.entries(texts).map(([lang, text]) => ({ lang, text })),
  fromInput: (list) => toTranslations(list ?? undefined),
});
