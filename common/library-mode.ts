/**
 * Libraries pick their development checks from `NODE_ENV` when they load, whatever the service's
 * own settings say: graphql-js, unless `NODE_ENV` is `production`, checks every `instanceof` of
 * its types against a second copy of itself (graphql-js alone executes a ten-record list in about
 * 1.6× the time with those checks; end to end, the difference was within the noise). The services
 * are production unless asked otherwise (common/config.ts `productionFlag`), so the CLI states
 * that for the libraries too, before any of them loads, as the Docker image does; `NODE_ENV` set
 * by the operator (`development`, `test`, anything) and the `--dev` flag are left as they are.
 */
export function libraryNodeEnv(env: NodeJS.ProcessEnv, argv: readonly string[]): string | undefined {
  if (env.NODE_ENV !== undefined && env.NODE_ENV !== '') return env.NODE_ENV;
  return argv.includes('--dev') ? undefined : 'production';
}

const mode = libraryNodeEnv(process.env, process.argv);
if (mode !== undefined) process.env.NODE_ENV = mode;
