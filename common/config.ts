import type { z } from 'zod';
import { formatIssues } from './zod-issues';

/** `"true"`, `"1"`, `"yes"` (and `"production"`, for NODE_ENV) from the environment. */
export function envBoolean(value: unknown): unknown {
  return typeof value === 'string' ? ['1', 'true', 'yes', 'production'].includes(value.toLowerCase()) : value;
}

/**
 * Reads a service's settings in one place: explicit options win over environment variables, and
 * the result is validated; a bad setting fails at start-up with a message that names it.
 * @example resolveConfig(memberConfigSchema, { INFRARED_MEMBER_ID: 'memberId' }, { port: 4001 }, process.env, 'member')
 */
export function resolveConfig<S extends z.ZodType>(schema: S, envNames: Record<string, string>, input: Record<string, unknown>, env: NodeJS.ProcessEnv, label: string): z.infer<S> {
  const fromEnv: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(envNames)) if (env[name] !== undefined && env[name] !== '') fromEnv[key] = env[name];
  const result = schema.safeParse({ ...fromEnv, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) });
  if (!result.success) throw new TypeError(`invalid ${label} configuration:\n  ${formatIssues(result.error).join('\n  ')}`);
  return result.data;
}

/**
 * Production unless asked otherwise: `NODE_ENV=development` (or `dev`), an explicit `false`, or
 * the CLI's `--dev` turn development mode on; anything else (unset, `production`, `test`) is
 * production. Development mode shows stack traces and field suggestions.
 */
export function productionFlag(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return !['development', 'dev', 'false', '0', 'no'].includes(value.trim().toLowerCase());
}
