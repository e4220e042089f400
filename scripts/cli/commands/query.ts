import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { request } from 'undici';
import { readCallerKeyFile } from '../../../common/auth/caller-key-file';
import { checkTokenBinding, isBoundToken, provenRequestHeaders, publicJwkOf } from '../../../common/auth/caller-proof-client';
import { CliError } from '../cli-error';
import { withCallerOptions } from './caller-options';

export function registerQuery(program: Command): void {
  const command = program
    .command('query')
    .description('Send a GraphQL query (a file, or inline with -e) to the gateway and print the answer.')
    .argument('[file]', 'a .graphql file')
    .option('-e, --execute <query>', 'the query text');
  withCallerOptions(command, { url: 'the gateway endpoint', proof: 'signs a proof for the request' })
    .option('--variables <json>', 'variables as JSON')
    .option('--table', 'print the first list in the answer as a table')
    .addHelpText(
      'after',
      '\nExamples:\n  $ infrared query -e "{ services { id name kind } }" --table\n  $ INFRARED_TOKEN=eyJ… infrared query demo/queries/capacity.graphql\n  $ INFRARED_GATEWAY_URL=https://gw.example/graphql infrared query demo/queries/capacity.graphql --table\n  $ infrared query --token "$(cat ana.token)" --caller-key ana.caller.jwk.json -e "{ services { id name visibility } }"\n\nEnvironment:\n  INFRARED_GATEWAY_URL  the gateway endpoint (default http://127.0.0.1:4000/graphql); --url wins\n  INFRARED_TOKEN        a caller token; --token wins\n  INFRARED_CALLER_KEY   your private caller key file, for a bound token; --caller-key wins',
    )
    .action(async (file: string | undefined, flags: { execute?: string; url: string; token?: string; callerKey?: string; variables?: string; table?: boolean }) => {
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
      const requestBody = JSON.stringify({ query, variables });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (flags.callerKey) {
        if (!flags.token) throw new CliError('--caller-key: give the bound token too (--token or INFRARED_TOKEN)', 2);
        let key;
        try {
          key = readCallerKeyFile(flags.callerKey);
        } catch (err) {
          throw new CliError(`--caller-key: ${(err as Error).message}`, 2);
        }
        if (!isBoundToken(flags.token))
          throw new CliError('--caller-key: the token is not bound to a caller key (no cnf.jkt); drop --caller-key, or ask your member for a bound token (infrared token --bind)', 2);
        try {
          await checkTokenBinding(flags.token, publicJwkOf({ token: flags.token, key }));
          Object.assign(headers, await provenRequestHeaders({ token: flags.token, key }, { method: 'POST', url: flags.url, body: requestBody }));
        } catch (err) {
          throw new CliError(`--caller-key: ${(err as Error).message}`, 2);
        }
      } else if (flags.token) {
        if (isBoundToken(flags.token)) throw new CliError('the token is bound to a caller key (cnf.jkt): give that key with --caller-key or INFRARED_CALLER_KEY', 2);
        headers.authorization = `Bearer ${flags.token}`;
      }
      let res;
      try {
        res = await request(flags.url, { method: 'POST', headers, body: requestBody });
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
