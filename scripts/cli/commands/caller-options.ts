import type { Command } from 'commander';

/** The gateway endpoint when neither --url nor INFRARED_GATEWAY_URL names one. */
export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000/graphql';

/**
 * The options every command that calls the gateway as a caller shares: `--url`, `--token` and
 * `--caller-key`, each with its environment variable as the default.
 *
 * @example
 * withCallerOptions(program.command('query'), { url: 'the gateway endpoint', proof: 'signs a proof for the request' })
 */
export function withCallerOptions(command: Command, says: { url: string; proof: string }): Command {
  return command
    .option('--url <url>', `${says.url} (env INFRARED_GATEWAY_URL)`, process.env.INFRARED_GATEWAY_URL || DEFAULT_GATEWAY_URL)
    .option('--token <jwt>', 'a caller token (env INFRARED_TOKEN)', process.env.INFRARED_TOKEN)
    .option('--caller-key <file>', `your private caller key (\`infrared keygen --caller\`): ${says.proof}, for a bound token (env INFRARED_CALLER_KEY)`, process.env.INFRARED_CALLER_KEY || undefined);
}
