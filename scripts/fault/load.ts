import { request, type Agent } from 'undici';

export interface LoadStats {
  requests: number;
  /** 200 answers that lack a healthy member's data (reported failed, or missing from extensions.members). */
  lostHealthy: number;
  /** 503 OVERLOADED answers (load shed, not hidden in 200s). */
  shed: number;
  rateLimited: number;
  /** Any other status, or no answer at all. */
  failures: number;
  latenciesMs: number[];
  /** Why healthy members' data was missing: `<status>` or `<status>: <reason>` → count. */
  lostWhy: Record<string, number>;
}

interface Answer {
  errors?: { message?: string; extensions?: { member?: string; code?: string; reason?: string } }[];
  extensions?: { members?: Record<string, { status: string }> };
}

/**
 * `clients` loops posting to the gateway until `seconds` have passed (bounded in count by time),
 * classifying every answer. A 200 loses a healthy member's data when that member is reported as
 * anything but ok, or not reported at all.
 */
export async function runLoad(opts: {
  url: string;
  agent: Agent;
  clients: number;
  seconds: number;
  healthy: ReadonlySet<string>;
  body: (client: number, n: number) => string;
  headers?: (client: number) => Record<string, string>;
}): Promise<LoadStats> {
  const stats: LoadStats = { requests: 0, lostHealthy: 0, shed: 0, rateLimited: 0, failures: 0, latenciesMs: [], lostWhy: {} };
  const deadline = Date.now() + opts.seconds * 1000;
  let n = 0;
  const client = async (c: number) => {
    while (Date.now() < deadline) {
      const started = performance.now();
      try {
        const res = await request(opts.url, {
          method: 'POST',
          dispatcher: opts.agent,
          headers: { 'content-type': 'application/json', ...opts.headers?.(c) },
          body: opts.body(c, n++),
          headersTimeout: 30_000,
          bodyTimeout: 30_000,
        });
        const json = (await res.body.json()) as Answer;
        if (res.statusCode === 200) {
          const members = json.extensions?.members ?? {};
          const failed = new Set((json.errors ?? []).map((e) => e.extensions?.member).filter((m): m is string => !!m));
          const lost = [...opts.healthy].filter((h) => members[h]?.status !== 'ok' || failed.has(h));
          if (lost.length) {
            stats.lostHealthy++;
            const error = (json.errors ?? []).find((e) => e.extensions?.member === lost[0]);
            const why = `${members[lost[0]]?.status ?? 'not asked'}${error?.message ? `: ${error.message.replace(/^Member "[^"]+" is unavailable: /, '').slice(0, 60)}` : ''}`;
            stats.lostWhy[why] = (stats.lostWhy[why] ?? 0) + 1;
          }
        } else if (res.statusCode === 503) stats.shed++;
        else if (res.statusCode === 429) stats.rateLimited++;
        else stats.failures++;
        stats.latenciesMs.push(performance.now() - started);
        if (res.statusCode === 503 || res.statusCode === 429) {
          // a well-behaved client honours Retry-After (bounded, so the run stays bounded)
          const wait = Math.min(1000, Number(res.headers['retry-after'] ?? 1) * 1000);
          await new Promise((r) => setTimeout(r, wait));
        }
      } catch {
        stats.failures++;
        stats.latenciesMs.push(performance.now() - started);
      }
      stats.requests++;
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, c) => client(c)));
  return stats;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}
