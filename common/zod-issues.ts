import type { z } from 'zod';

/** `services[2].kind` from `['services', 2, 'kind']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out || '(file)';
}

/** Where a problem is in the source text (1-based), when the caller can tell. */
export type IssueLocator = (path: readonly PropertyKey[], key?: string) => { line: number; col: number } | undefined;

/** A value given in a file, quoted and cut short: enough to recognise it. */
function given(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * One line per problem, with its path in the file, and its line and column when `locate` is
 * given. A missing field reads `required`; a wrong enum value names what was given (when the
 * schema was run with `reportInput: true`) and what is allowed.
 */
export function formatIssues(error: z.ZodError, locate?: IssueLocator): string[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    const input = (issue as { input?: unknown }).input;
    if (issue.code === 'invalid_value' && 'values' in issue) {
      message = `expected one of ${issue.values.map(String).join(', ')}`;
      if ('input' in issue && input !== undefined && (typeof input !== 'object' || input === null)) message += `; got ${given(input)}`;
    }
    if (issue.code === 'unrecognized_keys' && 'keys' in issue) message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    if (issue.code === 'invalid_type' && 'expected' in issue) {
      message =
        /received undefined/.test(message) || ('input' in issue && input === undefined)
          ? 'required'
          : `expected ${issue.expected}${message.includes('received') ? `, ${message.slice(message.indexOf('received'))}` : ''}`;
    }
    const at = locate?.(issue.path, issue.code === 'unrecognized_keys' && 'keys' in issue ? issue.keys[0] : undefined);
    return `${formatPath(issue.path)}: ${message}${at ? ` (line ${at.line}, column ${at.col})` : ''}`;
  });
}
