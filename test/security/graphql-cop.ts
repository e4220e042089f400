/**
 * The checks of graphql-cop (github.com/dolevf/graphql-cop, lib/tests/*.py), the external GraphQL
 * security audit, restated in TypeScript: the same requests (graphql-cop's User-Agent, JSON POSTs
 * with `operationName: "cop"`, GET with query parameters, form-encoded POST) and the same
 * verdicts. A check whose `found` is true is what graphql-cop would report at that severity.
 */
export type Severity = 'HIGH' | 'MEDIUM' | 'LOW' | 'INFO';

export interface CopFinding {
  title: string;
  severity: Severity;
  found: boolean;
}

const HEADERS = { 'user-agent': 'graphql-cop/1.14' };

async function json(res: Response): Promise<any> {
  try {
    return JSON.parse(await res.text());
  } catch {
    return undefined;
  }
}

const graphQuery = (url: string, payload: string, batch = false) =>
  fetch(url, {
    method: 'POST',
    headers: { ...HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify(batch ? Array.from({ length: 10 }, () => ({ query: payload })) : { query: payload, operationName: 'cop' }),
  }).then(json);

const firstError = (body: any): string => String(body?.errors?.[0]?.message ?? '');

/** graphql-cop's checks, in its order, against one endpoint. */
export const COP_CHECKS: { title: string; severity: Severity; run: (url: string) => Promise<boolean> }[] = [
  {
    title: 'Alias Overloading',
    severity: 'HIGH',
    run: async (url) => {
      const aliases = Array.from({ length: 101 }, (_, i) => `alias${i}:__typename \n`).join('');
      return !!(await graphQuery(url, `query cop { ${aliases} }`))?.data?.alias100;
    },
  },
  {
    title: 'Array-based Query Batching',
    severity: 'HIGH',
    run: async (url) => {
      const body = await graphQuery(url, 'query cop { __typename }', true);
      return Array.isArray(body) && body.length >= 10;
    },
  },
  {
    title: 'Introspection-based Circular Query',
    severity: 'HIGH',
    run: async (url) =>
      ((await graphQuery(url, 'query cop { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }'))?.data?.__schema?.types?.length ?? 0) > 25,
  },
  { title: 'Directive Overloading', severity: 'HIGH', run: async (url) => (await graphQuery(url, 'query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }'))?.errors?.length === 10 },
  { title: 'Field Duplication', severity: 'HIGH', run: async (url) => !!(await graphQuery(url, `query cop { ${'__typename \n'.repeat(500)}} `))?.data?.__typename },
  { title: 'Field Suggestions', severity: 'LOW', run: async (url) => firstError(await graphQuery(url, 'query cop { __schema { directive } }')).includes('Did you mean') },
  {
    title: 'Mutation is allowed over GET (possible CSRF)',
    severity: 'MEDIUM',
    run: async (url) => !!(await json(await fetch(`${url}?${new URLSearchParams({ query: 'mutation cop {__typename}' })}`, { headers: HEADERS })))?.data?.__typename,
  },
  {
    title: 'GET Method Query Support',
    severity: 'MEDIUM',
    run: async (url) => !!(await json(await fetch(`${url}?${new URLSearchParams({ query: 'query cop {__typename}' })}`, { headers: HEADERS })))?.data?.__typename,
  },
  {
    title: 'GraphQL IDE',
    severity: 'LOW',
    run: async (url) => {
      const text = await (await fetch(url, { headers: { ...HEADERS, accept: 'text/html' } })).text();
      return ['graphiql.min.css', 'GraphQL Playground', 'GraphiQL', 'graphql-playground'].some((w) => text.includes(w));
    },
  },
  { title: 'Introspection', severity: 'HIGH', run: async (url) => !!(await graphQuery(url, 'query cop { __schema { types { name fields { name } } } }'))?.data?.__schema?.types },
  {
    title: 'POST based url-encoded query (possible CSRF)',
    severity: 'MEDIUM',
    run: async (url) =>
      !!(
        await json(
          await fetch(url, {
            method: 'POST',
            headers: { ...HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ query: 'query cop { __typename }' }).toString(),
          }),
        )
      )?.data?.__typename,
  },
  {
    title: 'Trace Mode',
    severity: 'INFO',
    run: async (url) => {
      const body = await graphQuery(url, 'query cop { __typename }');
      return !!body?.errors?.[0]?.extensions?.tracing || /'extensions': \{'tracing':/.test(JSON.stringify(body ?? {}));
    },
  },
  { title: 'Unhandled Errors Detection', severity: 'INFO', run: async (url) => !!(await graphQuery(url, 'qwerty cop { abc }'))?.errors?.[0]?.extensions?.exception },
];

/** Runs every check against one endpoint. */
export async function graphqlCop(url: string): Promise<CopFinding[]> {
  const findings: CopFinding[] = [];
  for (const check of COP_CHECKS) findings.push({ title: check.title, severity: check.severity, found: await check.run(url) });
  return findings;
}
