import { GraphQLError } from 'graphql';
import type { z } from 'zod';
import { formatIssues } from '../../../../../common/zod-issues';

/** Validates a mutation input with the data file's rules; problems become field errors. */
export function validateInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = formatIssues(result.error);
  throw new GraphQLError(`Invalid input: ${fields.join('; ')}`, { extensions: { code: 'BAD_USER_INPUT', fields } });
}

/** `[{ lang, text }]` → `{ lang: text }`. */
export function toTranslations(list: { lang: string; text: string }[] | undefined): Record<string, string> | undefined {
  return list ? Object.fromEntries(list.map((t) => [t.lang, t.text])) : undefined;
}

/** Accepts `kafshata:mail` (own prefix only) or `mail`. */
export function localIdOf(id: string, memberId: string): string | undefined {
  const colon = id.indexOf(':');
  if (colon < 0) return id;
  return id.slice(0, colon) === memberId ? id.slice(colon + 1) : undefined;
}

/** The input without its null and absent fields (GraphQL nulls mean "not given"). */
export function stripNulls<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}
