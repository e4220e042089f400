import type { z } from 'zod';

/** `services[2].kind` from `['services', 2, 'kind']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out || '(file)';
}

/** One line per problem, with its path in the file. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'invalid_value' && 'values' in issue) message = `expected one of ${issue.values.map(String).join(', ')}`;
    if (issue.code === 'unrecognized_keys' && 'keys' in issue) message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    if (issue.code === 'invalid_type' && 'expected' in issue) message = `expected ${issue.expected}${message.includes('received') ? `, ${message.slice(message.indexOf('received'))}` : ''}`;
    return `${formatPath(issue.path)}: ${message}`;
  });
}
