import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SEVERITIES } from '../../../schema/enums';
import { CliError } from '../cli-error';
import { withCallerOptions } from './caller-options';
import { FollowError, followChanges } from '../../watch/follow-changes';
import { readState, writeStateAtomically } from '../../watch/state-file';
import { assertUsableToken, loadProvenCaller, type CallerAuth } from '../../watch/caller-auth';

/** What `infrared watch` prints for each change when no subscription is given. */
export const DEFAULT_SELECTION = 'cursor kind id operation member at severity';

export interface WatchState {
  cursor: string;
}

/** The stream endpoint beside a GraphQL endpoint: `…/graphql` → `…/graphql/stream`. */
export function streamUrl(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/stream`;
  return url.toString();
}

/** A comma-separated flag; `upper` for enum values (the gateway checks them against the contract). */
function list(value: string | undefined, upper: boolean): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return upper ? items.map((i) => i.toUpperCase()) : items;
}

/** Runs `command` through the shell with `input` on stdin; resolves with its exit code (its output goes to ours, stdout to stderr). */
function runCommand(command: string, input: string, cursor: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, stdio: ['pipe', process.stderr, 'inherit'], env: { ...process.env, INFRARED_CHANGE_CURSOR: cursor ?? '' } });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.stdin.on('error', () => undefined); // a command that does not read its stdin
    child.stdin.end(input);
  });
}

export function registerWatch(program: Command): void {
  const command = program
    .command('watch')
    .description('Follow the network as it changes: print each change as one JSON line, resume from a state file, or run a command per change.')
    .argument('[file]', 'a .graphql file with a subscription (default: networkChanged with the filters below)')
    .option('-e, --execute <subscription>', 'the subscription text')
    .option('--kinds <list>', 'record kinds, comma-separated (INCIDENT, SERVICE, CAPACITY, …: the RecordKind enum)')
    .option('--members <list>', 'member ids, comma-separated')
    .option('--min-severity <level>', `only incidents at least this severe (${SEVERITIES.join(', ')}), and removals`)
    .option('--state <file>', 'resume after the cursor in this file, and write it (atomically) after each change is handled')
    .option('--since <cursor>', 'resume after this cursor (the state file, when it exists, wins)')
    .option('--exec <command>', 'run this shell command for each change, the change as JSON on its stdin, one at a time')
    .option('--on-exec-failure <policy>', 'when the command exits non-zero: stop (exit 1; the change is not marked handled, so it comes again) or skip (log it, go on)', 'stop');
  withCallerOptions(command, {
    url: 'the gateway GraphQL endpoint; the stream is at <url>/stream',
    proof: 'signs a proof for each connection',
  })
    .option('--variables <json>', 'variables for the subscription, as JSON')
    .option('-q, --quiet', 'no progress lines on stderr')
    .addHelpText(
      'after',
      `
Each change is printed to stdout as one line of JSON (the subscription's selection; the default
is "${DEFAULT_SELECTION}"). Progress (connected, reconnecting) goes to stderr. Disconnections
are retried with backoff and resume from the last change handled (Last-Event-ID), so no change is
lost; with --state that also holds across restarts of watch itself.

With --exec, the command runs once per change, sequentially; the next change waits for it. It
gets the change's JSON on stdin and INFRARED_CHANGE_CURSOR in its environment; its stdout goes to
watch's stderr. Exit 0 marks the change handled. Otherwise --on-exec-failure decides: "stop"
(the default) exits 1 without marking it, so the next run retries that change; "skip" logs it
and goes on. Make the command idempotent: after a crash between the command and the state write,
the change comes again.

Examples:
  $ infrared watch --kinds INCIDENT --min-severity HIGH
  $ infrared watch --state .infrared/watch.json --exec ./notify.sh
  $ infrared watch -e 'subscription { networkChanged(kinds: [CAPACITY]) { id operation record { ... on Capacity { resource available } } } }'
  $ infrared watch --token "$(cat bot.token)" --caller-key bot.caller.jwk.json --kinds INCIDENT

Environment:
  INFRARED_GATEWAY_URL  the gateway endpoint (default http://127.0.0.1:4000/graphql); --url wins
  INFRARED_TOKEN        a caller token; --token wins
  INFRARED_CALLER_KEY   your private caller key file, for a bound token; --caller-key wins`,
    )
    .action(
      async (
        file: string | undefined,
        flags: {
          execute?: string;
          kinds?: string;
          members?: string;
          minSeverity?: string;
          state?: string;
          since?: string;
          exec?: string;
          onExecFailure: string;
          url: string;
          token?: string;
          callerKey?: string;
          variables?: string;
          quiet?: boolean;
        },
      ) => {
        if (!['stop', 'skip'].includes(flags.onExecFailure)) throw new CliError('--on-exec-failure: stop or skip', 2);
        let query = flags.execute;
        if (query === undefined && file) {
          try {
            query = readFileSync(file, 'utf8');
          } catch (err) {
            throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
          }
        }
        let variables: Record<string, unknown> | undefined;
        try {
          variables = flags.variables ? (JSON.parse(flags.variables) as Record<string, unknown>) : undefined;
        } catch {
          throw new CliError('--variables: not valid JSON', 2);
        }
        const kinds = list(flags.kinds, true);
        const members = list(flags.members, false);
        const minSeverity = flags.minSeverity?.toUpperCase();
        if (minSeverity !== undefined && !(SEVERITIES as readonly string[]).includes(minSeverity)) throw new CliError(`--min-severity: one of ${SEVERITIES.join(', ')}`, 2);
        if (query === undefined) {
          query = `subscription Watch($kinds: [RecordKind!], $members: [ID!], $minSeverity: Severity) { networkChanged(kinds: $kinds, members: $members, minSeverity: $minSeverity) { ${DEFAULT_SELECTION} } }`;
          variables = { kinds, members, minSeverity, ...variables };
        } else if (kinds || members || minSeverity) {
          throw new CliError('--kinds, --members and --min-severity go with the default subscription; put filters in your own subscription text', 2);
        }
        let url: string;
        try {
          url = streamUrl(flags.url);
        } catch {
          throw new CliError(`--url: not a URL: ${flags.url}`, 2);
        }
        let auth: CallerAuth = { token: flags.token };
        try {
          if (flags.callerKey) auth = await loadProvenCaller(flags.callerKey, flags.token);
          else assertUsableToken(auth);
        } catch (err) {
          throw new CliError(flags.callerKey ? `--caller-key: ${(err as Error).message}` : (err as Error).message, 2);
        }
        let since = flags.since;
        if (flags.state) {
          try {
            since = readState<WatchState>(flags.state)?.cursor ?? since;
          } catch (err) {
            throw new CliError((err as Error).message, 2);
          }
        }
        const status = (line: string) => {
          if (!flags.quiet) process.stderr.write(`watch: ${line}\n`);
        };
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          await followChanges({
            url,
            query,
            variables,
            token: auth.token,
            callerKey: auth.key,
            since,
            signal: stop.signal,
            onStatus: status,
            async handle(change, cursor) {
              const line = JSON.stringify(change);
              if (flags.exec) {
                const code = await runCommand(flags.exec, `${line}\n`, cursor);
                if (code !== 0) {
                  if (flags.onExecFailure === 'stop')
                    throw new CliError(`--exec exited ${code} for the change ${String(change.id ?? '')}; it is not marked handled (rerun to retry it, or use --on-exec-failure skip)`);
                  status(`--exec exited ${code} for the change ${String(change.id ?? '')}; skipped`);
                }
              } else {
                process.stdout.write(`${line}\n`);
              }
              if (flags.state && cursor) writeStateAtomically(flags.state, { cursor } satisfies WatchState);
            },
          });
        } catch (err) {
          if (err instanceof FollowError) throw new CliError(err.message);
          throw err;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      },
    );
}
