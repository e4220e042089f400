#!/usr/bin/env node
/**
 * An example bot that follows the network by polling `networkChanges`: it keeps a copy of every
 * record its token may see, in a state file (the cursor and the records), prints each change it
 * applies as one JSON line, and goes on from where it stopped after a restart.
 *
 *   INFRARED_TOKEN=$(infrared token --key keys/kafshata.jwk.json --member kafshata --sub follower --ttl 7d) \
 *     node dist/scripts/examples/follow-network.js --state follower.json --kinds INCIDENT,SERVICE
 *
 * Without a token it follows PUBLIC records. `--once` stops when the feed has nothing more.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export const NETWORK_CHANGES = `query Follow($since: String, $kinds: [RecordKind!], $first: Int) {
  networkChanges(since: $since, kinds: $kinds, first: $first) {
    cursor
    hasMore
    unavailableMembers
    changes {
      kind id operation at member severity
      record {
        __typename
        ... on Service { name status acceptingUsers }
        ... on Incident { kind severity incidentStatus: status observedAt }
        ... on Capacity { resource total used available }
      }
    }
  }
}`;

interface Change {
  kind: string;
  id: string;
  operation: 'UPSERT' | 'REMOVE';
  at: string;
  member: string;
  severity: string | null;
  record: Record<string, unknown> | null;
}

interface State {
  cursor: string | null;
  records: Record<string, Change['record']>;
}

function load(file: string): State {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as State;
  } catch {
    return { cursor: null, records: {} };
  }
}

/** Written whole and renamed into place: a crash leaves the old state or the new one, never half. */
function save(file: string, state: State): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

async function page(url: string, token: string | undefined, variables: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: NETWORK_CHANGES, variables }),
  });
  const body = (await res.json()) as {
    data?: { networkChanges: { cursor: string; hasMore: boolean; unavailableMembers: string[]; changes: Change[] } };
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.data?.networkChanges) return body.data.networkChanges;
  const code = body.errors?.[0]?.extensions?.code;
  if (code === 'CURSOR_EXPIRED' || code === 'INVALID_CURSOR') return { resync: true as const, message: body.errors![0].message };
  throw new Error(`networkChanges failed (HTTP ${res.status}): ${body.errors?.map((e) => e.message).join('; ') ?? 'no answer'}`);
}

export async function follow(opts: { url: string; token?: string; stateFile: string; kinds?: string[]; once: boolean; intervalMs: number }): Promise<void> {
  const state = load(opts.stateFile);
  for (;;) {
    const answer = await page(opts.url, opts.token, { since: state.cursor, kinds: opts.kinds ?? null, first: 200 });
    if ('resync' in answer) {
      // the cursor is too old (or not ours): start again from everything we may see now
      process.stderr.write(`resync: ${answer.message}\n`);
      state.cursor = null;
      state.records = {};
      continue;
    }
    for (const change of answer.changes) {
      if (change.operation === 'REMOVE') delete state.records[change.id];
      // a null record on an UPSERT: it changed again since, and a later change says how
      else if (change.record) state.records[change.id] = change.record;
      process.stdout.write(`${JSON.stringify(change)}\n`);
    }
    if (answer.unavailableMembers.length) process.stderr.write(`not answering now (their changes come later): ${answer.unavailableMembers.join(', ')}\n`);
    state.cursor = answer.cursor;
    save(opts.stateFile, state);
    if (answer.hasMore) continue;
    if (opts.once) return;
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs));
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { state: { type: 'string', default: 'follow-network.json' }, kinds: { type: 'string' }, once: { type: 'boolean', default: false }, interval: { type: 'string', default: '30' } },
  });
  follow({
    url: process.env.INFRARED_GATEWAY_URL || 'http://127.0.0.1:4000/graphql',
    token: process.env.INFRARED_TOKEN || undefined,
    stateFile: values.state!,
    kinds: values.kinds?.split(',').filter(Boolean),
    once: values.once!,
    intervalMs: Number(values.interval) * 1000,
  }).catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  });
}
