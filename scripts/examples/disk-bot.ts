#!/usr/bin/env node
/**
 * An example bot: reports this machine's disk usage for one path as the member's STORAGE_GB
 * capacity, through the gateway, with a member token (write scope).
 *
 *   INFRARED_TOKEN=$(infrared token --key keys/kafshata.jwk.json --member kafshata --sub disk-bot --scope write --ttl 7d) \
 *     node dist/scripts/examples/disk-bot.js --path / --capacity-id disk-root
 *
 * Sizes are those `df` shows, in GB (10^9 bytes) with one decimal: total = the filesystem's size,
 * used = size − free. Run it from cron or a systemd timer; the record is upserted by id.
 */
import { statfsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { LOCAL_ID_PATTERN } from '../../common/ids';

const VISIBILITIES = ['PUBLIC', 'NETWORK', 'MEMBERS', 'OWNER'] as const;
const DEFAULT_GATEWAY = 'http://127.0.0.1:4000/graphql';

export const REPORT_CAPACITY = `mutation ReportDisk($input: CapacityInput!) {
  reportCapacity(input: $input) { id resource total used available visibility measuredAt }
}`;

const USAGE = `Usage: disk-bot [options]

Reports the disk usage of a path as STORAGE_GB capacity through the gateway.

Options:
  --path <path>          the filesystem to measure (default: /)
  --capacity-id <id>     the capacity record's local id (default: disk-root)
  --service-id <id>      attach the capacity to one of your services
  --visibility <level>   PUBLIC, NETWORK, MEMBERS or OWNER (default: NETWORK)
  --dry-run              print the mutation and its variables; send nothing
  -h, --help             this help

Environment:
  INFRARED_TOKEN         a caller token of your member with the write scope (not needed with --dry-run)
  INFRARED_GATEWAY_URL   the gateway's GraphQL endpoint (default: ${DEFAULT_GATEWAY})
`;

/** A failure that ends the bot with one line on stderr. */
class BotError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const gb = (bytes: number) => Math.round(bytes / 1e8) / 10;

/** Size and use of the filesystem holding `path`, in GB with one decimal. */
export function diskUsage(path: string): { total: number; used: number } {
  let stats;
  try {
    stats = statfsSync(path);
  } catch (err) {
    throw new BotError(`--path: cannot read the filesystem of ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
  }
  const total = gb(stats.blocks * stats.bsize);
  const used = Math.min(total, gb((stats.blocks - stats.bfree) * stats.bsize));
  return { total, used };
}

function options(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        path: { type: 'string', default: '/' },
        'capacity-id': { type: 'string', default: 'disk-root' },
        'service-id': { type: 'string' },
        visibility: { type: 'string', default: 'NETWORK' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new BotError(`${(err as Error).message} (see --help)`, 2);
  }
  const v = parsed.values;
  const visibility = String(v.visibility).toUpperCase();
  if (!(VISIBILITIES as readonly string[]).includes(visibility)) throw new BotError(`--visibility: "${v.visibility}" is not one of ${VISIBILITIES.join(', ')}`, 2);
  if (!LOCAL_ID_PATTERN.test(v['capacity-id']!)) throw new BotError(`--capacity-id: "${v['capacity-id']}" is not a local id (lowercase letters, digits, ".", "_" or "-")`, 2);
  return { path: v.path!, capacityId: v['capacity-id']!, serviceId: v['service-id'], visibility, dryRun: v['dry-run']!, help: v.help! };
}

/** One line from a GraphQL error list. */
function describeErrors(errors: { message?: string; extensions?: { code?: string } }[]): string {
  const first = errors[0] ?? {};
  const code = first.extensions?.code ? `${first.extensions.code}: ` : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${code}${first.message ?? 'unknown error'}${more}`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

async function send(url: string, token: string, body: string): Promise<{ id: string; total: number; used: number; visibility: string }> {
  let res;
  try {
    res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}` },
      body,
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
    });
  } catch (err) {
    throw new BotError(`cannot reach the gateway at ${url}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const text = await res.body.text();
  let json: { data?: { reportCapacity?: { id: string; total: number; used: number; visibility: string } } | null; errors?: { message?: string; extensions?: { code?: string } }[] } | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (json?.errors?.length) throw new BotError(`the gateway refused the report (HTTP ${res.statusCode}): ${oneLine(describeErrors(json.errors))}`);
  if (res.statusCode < 200 || res.statusCode >= 300) throw new BotError(`the gateway answered HTTP ${res.statusCode}: ${oneLine(text).slice(0, 200) || '(empty body)'}`);
  const record = json?.data?.reportCapacity;
  if (!record) throw new BotError(`the gateway's answer has no reportCapacity: ${oneLine(text).slice(0, 200)}`);
  return record;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const opts = options(argv);
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { total, used } = diskUsage(opts.path);
  const variables = {
    input: { id: opts.capacityId, resource: 'STORAGE_GB', total, used, visibility: opts.visibility, ...(opts.serviceId ? { serviceId: opts.serviceId } : {}) },
  };
  if (opts.dryRun) {
    process.stdout.write(`${JSON.stringify({ query: REPORT_CAPACITY, variables }, null, 2)}\n`);
    return;
  }
  const token = env.INFRARED_TOKEN?.trim();
  if (!token) throw new BotError('INFRARED_TOKEN is not set: issue one with `infrared token --scope write` (or use --dry-run)', 2);
  const url = env.INFRARED_GATEWAY_URL?.trim() || DEFAULT_GATEWAY;
  const record = await send(url, token, JSON.stringify({ query: REPORT_CAPACITY, variables }));
  process.stdout.write(`reported ${record.id}: ${record.used} of ${record.total} GB used on ${opts.path} (${record.visibility})\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`disk-bot: error: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    process.exit(err instanceof BotError ? err.exitCode : 1);
  });
}
