#!/usr/bin/env node
/**
 * An example bot with a bound token: lists its member's services that are not OPERATIONAL,
 * OWNER ones included, through the gateway. Each request carries a fresh proof signed with the
 * bot's caller key, so a member in `proven` mode serves it its NETWORK, MEMBERS and OWNER data.
 *
 *   infrared keygen --caller --name status-bot --out ./bot                        # once, on the bot's machine
 *   infrared token --key keys/kafshata.jwk.json --member kafshata --sub status-bot \
 *     --bind ./bot/status-bot.caller.pub.json --ttl 7d > ./bot/token               # at the member
 *   INFRARED_TOKEN=$(cat ./bot/token) INFRARED_CALLER_KEY=./bot/status-bot.caller.jwk.json \
 *     node dist/scripts/examples/proven-bot.js kafshata
 *
 * Outside this repository, import from the package: `from 'infrared-network-graph/client'`.
 */
import { createProvenFetch, readCallerKeyFile } from '../../common/client';

const SERVICES = `query Watch($member: ID!) {
  services(filter: { members: [$member] }) { id name status visibility }
}`;

interface Service {
  id: string;
  name: string;
  status: string;
  visibility: string;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const member = argv[0];
  if (!member) throw new Error('usage: proven-bot <member id>');
  const token = env.INFRARED_TOKEN?.trim();
  const keyFile = env.INFRARED_CALLER_KEY?.trim();
  if (!token || !keyFile) throw new Error('set INFRARED_TOKEN (a bound token) and INFRARED_CALLER_KEY (the caller key file it is bound to)');
  const url = env.INFRARED_GATEWAY_URL?.trim() || 'http://127.0.0.1:4000/graphql';

  // one signer for the bot's whole life: every call signs a new proof over its exact body
  const provenFetch = createProvenFetch({ token, key: readCallerKeyFile(keyFile) });
  const res = await provenFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: SERVICES, variables: { member } }),
  });
  const answer = (await res.json()) as { data?: { services?: Service[] } | null; errors?: { message: string }[] };
  if (!res.ok || answer.errors?.length || !answer.data?.services) {
    throw new Error(`the gateway refused (HTTP ${res.status}): ${answer.errors?.[0]?.message ?? 'no services in the answer'}`);
  }
  const troubled = answer.data.services.filter((s) => s.status !== 'OPERATIONAL');
  for (const s of troubled) process.stdout.write(`${s.id}\t${s.status}\t${s.visibility}\t${s.name}\n`);
  process.stdout.write(`${answer.data.services.length} services of ${member}, ${troubled.length} not operational\n`);
  return troubled.length ? 3 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`proven-bot: error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
