import { Agent, request } from 'undici';

/**
 * The floor of item 10: what a bare HTTP client pays per member call for the same fan-out — the
 * same POST body and about the same header bytes (an assertion-sized header) to every member,
 * keep-alive connections, each answer read and parsed as JSON — with no GraphQL, planning,
 * signing, checking or merging. Warms up, then prints its own CPU time per call as one JSON line.
 *
 * Run: node dist/scripts/bench/bare-fanout-client.js '{"urls":["http://127.0.0.1:…/graphql"],"requests":30}'
 */
interface FloorConfig {
  urls: string[];
  requests: number;
  /** Requests at a time (the gateway benchmark sends 2). */
  concurrency?: number;
}

async function main(config: FloorConfig): Promise<void> {
  const dispatcher = new Agent({ connections: 8, keepAliveTimeout: 60_000 });
  const body = JSON.stringify({ query: '{ services { id name } }' });
  const headers = { 'content-type': 'application/json', 'x-request-id': 'floor', 'infrared-assertion': 'a'.repeat(700) };
  let failed = 0;
  const fanOut = () =>
    Promise.all(
      config.urls.map(async (url) => {
        const res = await request(url, { method: 'POST', body, headers, dispatcher });
        const answer = JSON.parse(await res.body.text()) as { data?: unknown };
        if (res.statusCode !== 200 || !answer.data) failed++;
      }),
    );
  const run = async (count: number) => {
    const workers = Array.from({ length: config.concurrency ?? 2 }, async (_, w, all = config.concurrency ?? 2) => {
      for (let i = w; i < count; i += all) await fanOut();
    });
    await Promise.all(workers);
  };
  await run(Math.max(2, Math.ceil(config.requests / 4)));
  const before = process.cpuUsage();
  await run(config.requests);
  const used = process.cpuUsage(before);
  process.stdout.write(`${JSON.stringify({ cpuMsPerCall: (used.user + used.system) / 1000 / (config.requests * config.urls.length), failed })}\n`);
  await dispatcher.close();
}

main(JSON.parse(process.argv[2]) as FloorConfig).catch((err) => {
  process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
  process.exit(1);
});
