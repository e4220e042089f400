#!/usr/bin/env node
/**
 * An example bot: posts each new HIGH or CRITICAL incident the caller may see to a chat
 * incoming webhook (Mattermost, Slack, Matrix hookshot: all accept a JSON body `{"text": …}`).
 *
 *   INFRARED_TOKEN=$(infrared token --key keys/kafshata.jwk.json --member kafshata --sub incident-bot --ttl 30d) \
 *   INFRARED_WEBHOOK_URL=https://chat.example/hooks/xxxx \
 *     node dist/scripts/examples/incident-webhook-bot.js --state /var/lib/incident-bot/state.json
 *
 * It follows the gateway's live subscription (`networkChanged(kinds: [INCIDENT], minSeverity: HIGH)`)
 * and resumes after restarts from its state file. "New" means: the first time the bot sees the
 * incident at HIGH or above (an incident raised from LOW to HIGH is new then; later edits are not
 * posted again). A webhook that fails is retried with backoff; when it still fails, the bot exits
 * 1 without marking the incident handled, so the next start posts it.
 */
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { followChanges, FollowError } from '../watch/follow-changes';
import { assertUsableToken, authorizationHeaders, loadProvenCaller, type CallerAuth } from '../watch/caller-auth';
import { readState, writeStateAtomically } from '../watch/state-file';
import { streamUrl } from '../cli/commands/watch';

const DEFAULT_GATEWAY = 'http://127.0.0.1:4000/graphql';
/** Incidents remembered as posted (the oldest are forgotten first). */
const MAX_POSTED = 10_000;

export const INCIDENT_SUBSCRIPTION = `subscription IncidentBot {
  networkChanged(kinds: [INCIDENT], minSeverity: HIGH) { id operation member at severity }
}`;

/** The member's HIGH and CRITICAL incidents, read from /graphql when one is to be posted (the contract has no lookup by id for incidents). */
export const INCIDENT_DETAILS = `query IncidentDetails($member: ID!) {
  incidents(filter: { members: [$member], minSeverity: HIGH }) { id kind status severity summary observedAt }
}`;

const USAGE = `Usage: incident-webhook-bot [options]

Posts new HIGH and CRITICAL incidents from the network to a chat incoming webhook.

Options:
  --state <file>        where the bot keeps its place and what it posted (default: incident-bot.state.json)
  --webhook <url>       the incoming-webhook URL (env INFRARED_WEBHOOK_URL)
  --attempts <n>        tries per post before giving up (default: 5)
  -h, --help            this help

Environment:
  INFRARED_WEBHOOK_URL   the incoming-webhook URL; --webhook wins
  INFRARED_TOKEN         a caller token (without one the bot sees PUBLIC incidents only)
  INFRARED_CALLER_KEY    the private caller key file a bound token is bound to (\`infrared keygen --caller\`):
                         every request and reconnection then carries a proof
  INFRARED_GATEWAY_URL   the gateway's GraphQL endpoint (default: ${DEFAULT_GATEWAY})
`;

export interface BotState {
  cursor?: string;
  posted: string[];
}

interface IncidentChange {
  id: string;
  operation: 'UPSERT' | 'REMOVE';
  member: string;
  at: string;
  severity?: string | null;
}

export interface IncidentDetails {
  id: string;
  kind: string;
  status: string;
  severity: string;
  summary?: string | null;
  observedAt: string;
}

/** The chat message for one incident. */
export function incidentText(change: IncidentChange, details: IncidentDetails): string {
  const summary = details.summary?.trim() || '(no summary)';
  return `[${details.severity}] ${details.kind} reported by ${change.member}: ${summary} (status ${details.status}, observed ${details.observedAt}, id ${change.id})`;
}

/** The incident as the caller may see it now; null when it is gone, hidden or below HIGH. */
export async function incidentDetails(graphqlUrl: string, auth: CallerAuth, member: string, id: string): Promise<IncidentDetails | null> {
  const requestBody = JSON.stringify({ query: INCIDENT_DETAILS, variables: { member } });
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(await authorizationHeaders(auth, { url: graphqlUrl, body: requestBody })) };
  const res = await request(graphqlUrl, { method: 'POST', headers, body: requestBody, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const body = (await res.body.json()) as { data?: { incidents: IncidentDetails[] }; errors?: { message: string }[] };
  if (res.statusCode !== 200 || !body.data) throw new Error(`the gateway did not answer the incident's details (HTTP ${res.statusCode}: ${body.errors?.[0]?.message ?? 'no data'})`);
  return body.data.incidents.find((i) => i.id === id) ?? null;
}

/** Posts `{"text": …}` to the webhook, retrying network failures, 429 and 5xx with backoff. */
export async function postToWebhook(url: string, text: string, attempts: number, pause = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<void> {
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }), headersTimeout: 10_000, bodyTimeout: 10_000 });
      await res.body.dump();
      if (res.statusCode < 300) return;
      last = `HTTP ${res.statusCode}`;
      if (res.statusCode !== 429 && res.statusCode < 500) break; // the hook refuses it: retrying will not help
    } catch (err) {
      last = (err as { code?: string }).code ?? (err as Error).message;
    }
    if (attempt < attempts) await pause(Math.min(30_000, 500 * 2 ** attempt));
  }
  throw new Error(`the webhook did not take the message (${last})`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      state: { type: 'string', default: 'incident-bot.state.json' },
      webhook: { type: 'string' },
      attempts: { type: 'string', default: '5' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const webhook = values.webhook ?? process.env.INFRARED_WEBHOOK_URL;
  if (!webhook) throw new BotError('give the webhook URL: --webhook or INFRARED_WEBHOOK_URL', 2);
  const attempts = Number(values.attempts);
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) throw new BotError('--attempts: a whole number from 1 to 20', 2);
  let state: BotState;
  try {
    state = readState<BotState>(values.state!) ?? { posted: [] };
  } catch (err) {
    throw new BotError((err as Error).message, 2);
  }
  const posted = new Set(state.posted);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const log = (line: string) => process.stderr.write(`incident-bot: ${line}\n`);
  const gateway = process.env.INFRARED_GATEWAY_URL || DEFAULT_GATEWAY;
  let auth: CallerAuth = { token: process.env.INFRARED_TOKEN || undefined };
  const keyFile = process.env.INFRARED_CALLER_KEY || undefined;
  try {
    if (keyFile) auth = await loadProvenCaller(keyFile, auth.token);
    else assertUsableToken(auth);
  } catch (err) {
    throw new BotError(keyFile ? `INFRARED_CALLER_KEY: ${(err as Error).message}` : (err as Error).message, 2);
  }
  try {
    await followChanges({
      url: streamUrl(gateway),
      query: INCIDENT_SUBSCRIPTION,
      token: auth.token,
      callerKey: auth.key,
      since: state.cursor,
      signal: stop.signal,
      onStatus: log,
      async handle(raw, cursor) {
        const change = raw as unknown as IncidentChange;
        if (change.operation === 'UPSERT' && !posted.has(change.id)) {
          const details = await incidentDetails(gateway, auth, change.member, change.id);
          // gone or hidden since, or lowered below HIGH: nothing to post (a later change brings it back)
          if (details && (details.severity === 'HIGH' || details.severity === 'CRITICAL')) {
            await postToWebhook(webhook, incidentText(change, details), attempts);
            posted.add(change.id);
            if (posted.size > MAX_POSTED) posted.delete(posted.values().next().value!);
            log(`posted ${change.id}`);
          }
        }
        if (cursor) writeStateAtomically(values.state!, { cursor, posted: [...posted] } satisfies BotState);
      },
    });
  } catch (err) {
    if (err instanceof FollowError) throw new BotError(err.message);
    throw err;
  }
}

class BotError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`incident-bot: error: ${(err as Error).message}\n`);
    process.exit(err instanceof BotError ? err.exitCode : 1);
  });
}
