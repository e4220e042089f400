import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { request } from 'undici';
import { CliError } from '../cli-error';

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('Send a GraphQL query (a file, or inline with -e) to the gateway and print the answer.')
    .argument('[file]', 'a .graphql file')
    .option('-e, --execute <query>', 'the query text')
    .option('--url <url>', 'the gateway endpoint (env INFRARED_GATEWAY_URL)', process.env.INFRARED_GATEWAY_URL || 'http://127.0.0.1:4000/graphql')
    .option('--token <jwt>', 'a caller token (env INFRARED_TOKEN)', process.env.INFRARED_TOKEN)
    .option('--variables <json>', 'variables as JSON')
    .option('--table', 'print the first list in the answer as a table')
    .addHelpText(
      'after',
      '\nExamples:\n  $ infrared query -e "{ services { id name kind } }" --table\n  $ INFRARED_TOKEN=eyJ… infrared query demo/queries/capacity.graphql\n  $ INFRARED_GATEWAY_URL=https://gw.example/graphql infrared query demo/queries/capacity.graphql --table\n\nEnvironment:\n  INFRARED_GATEWAY_URL  the gateway endpoint (default http://127.0.0.1:4000/graphql); --url wins\n  INFRARED_TOKEN        a caller token; --token wins',
    )
    .action(async (file: string | undefined, flags: { execute?: string; url: string; token?: string; variables?: string; table?: boolean }) => {
      let query = flags.execute;
      if (query === undefined && file) {
        try {
          query = readFileSync(file, 'utf8');
        } catch (err) {
          throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
        }
      }
      if (!query) throw new CliError('give a query file or -e "<query>"', 2);
      let variables: unknown;
      try {
        variables = flags.variables ? JSON.parse(flags.variables) : undefined;
      } catch {
        throw new CliError('--variables: not valid JSON', 2);
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (flags.token) headers.authorization = `Bearer ${flags.token}`;
      let res;
      try {
        res = await request(flags.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      } catch (err) {
        throw new CliError(`cannot reach ${flags.url}: ${(err as { code?: string }).code ?? (err as Error).message}`);
      }
      const body = (await res.body.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
      if (flags.table && body.data) {
        const list = Object.values(body.data).find(Array.isArray) as Record<string, unknown>[] | undefined;
        if (list) console.table(list.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : v]))));
        for (const e of body.errors ?? []) process.stderr.write(`${e.extensions?.code ?? 'ERROR'}: ${e.message}\n`);
      } else {
        process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      }
      if (res.statusCode >= 400) process.exitCode = 1;
    });
}
