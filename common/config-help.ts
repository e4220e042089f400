import { z } from 'zod';

/** One environment setting of a service, as its `--help` lists it. */
export interface SettingHelp {
  /** The environment variable. */
  env: string;
  /** The setting's key in the config object. */
  key: string;
  /** `required`, `unset`, or the default value. */
  default: string;
  /** What the value must be: `integer, 1 to 60000`, `one of a, b`, `comma-separated list`… */
  accepts: string;
}

type JsonSchema = { type?: string | string[]; enum?: unknown[]; minimum?: number; exclusiveMinimum?: number; maximum?: number; pattern?: string; items?: JsonSchema; minLength?: number };

const SAFE_MAX = Number.MAX_SAFE_INTEGER;

function accepts(field: z.ZodType): string {
  let schema: JsonSchema = {};
  try {
    schema = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return 'text';
  }
  if (schema.enum) return `one of ${schema.enum.map(String).join(', ')}`;
  if (schema.type === 'boolean') return 'on with 1, true, yes (or production), else off';
  if (schema.type === 'array') return 'comma-separated list';
  if (schema.type === 'integer' || schema.type === 'number') {
    const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (schema.type === 'integer' ? 1 : 0) : undefined);
    const max = schema.maximum !== undefined && schema.maximum < SAFE_MAX ? schema.maximum : undefined;
    const kind = schema.type === 'integer' ? 'integer' : 'number';
    if (min !== undefined && max !== undefined) return `${kind}, ${min} to ${max}`;
    if (min !== undefined) return `${kind}, at least ${min}`;
    return kind;
  }
  return schema.pattern ? `text matching ${schema.pattern}` : 'text';
}

function defaultOf(field: z.ZodType): string {
  const result = field.safeParse(undefined);
  if (!result.success) return 'required';
  if (result.data === undefined) return 'unset';
  return Array.isArray(result.data) ? result.data.join(',') || '(empty)' : String(result.data);
}

/**
 * Every setting a service reads from the environment, generated from its config schema and its
 * table of environment variables, so that a setting added there shows up in `--help` by itself.
 * @example describeSettings(gatewayConfigSchema, GATEWAY_ENV).find((s) => s.env === 'PORT') // { key: 'port', default: '4000', … }
 */
export function describeSettings(schema: z.ZodObject, envNames: Record<string, string>): SettingHelp[] {
  const shape = schema.shape as Record<string, z.ZodType>;
  return Object.entries(envNames).map(([env, key]) => {
    const field = shape[key];
    if (!field) throw new TypeError(`describeSettings: ${env} names "${key}", which is not a setting`);
    return { env, key, default: defaultOf(field), accepts: field.description ?? accepts(field) };
  });
}

/** The `Environment settings:` section of a `--help`, one aligned line per setting. */
export function settingsHelpText(title: string, settings: SettingHelp[]): string {
  const width = Math.max(...settings.map((s) => s.env.length)) + 2;
  const lines = settings.map((s) => `  ${s.env.padEnd(width)}${s.key}: ${s.accepts} (default: ${s.default})`);
  return `\n${title}\n${lines.join('\n')}`;
}
