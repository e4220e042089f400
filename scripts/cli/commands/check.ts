import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { parseRegistry, RegistryError } from '../../../common/registry/load-registry';
import { CliError } from '../cli-error';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Validate a registry file (network.yaml), a member data file, or a live member subgraph or gateway URL, and print clear findings.')
    .argument('<file-or-url>', 'network.yaml, a member data file, or http(s)://…/graphql of a member or a gateway')
    .addHelpText(
      'after',
      '\nExamples:\n  $ infrared check network.yaml\n  $ infrared check demo/members/kafshata.yaml\n  $ infrared check http://127.0.0.1:4001/graphql\n  $ infrared check http://127.0.0.1:4000/graphql',
    )
    .action(async (file: string) => {
      if (/^https?:\/\//.test(file)) return checkLiveEndpoint(file);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DataFileError, parseMemberData } = require('../../../subgraphs/member/src/import/import-member-data') as typeof import('../../../subgraphs/member/src/import/import-member-data');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const top = parseDocument(text).toJS() as Record<string, unknown> | null;
      try {
        if (top && 'network' in top) {
          const registry = parseRegistry(text, file);
          const keyless = registry.members.filter((m) => m.keys.length === 0).map((m) => m.id);
          process.stdout.write(`${file}: valid registry for network "${registry.network.id}": ${registry.members.length} members, ${registry.gateways.length} gateways\n`);
          if (keyless.length) process.stdout.write(`warning: no pinned keys for ${keyless.join(', ')}: their tokens cannot be verified\n`);
          if (registry.gateways.length === 0) process.stdout.write('warning: no gateways listed: members will answer every sub-request as anonymous\n');
        } else {
          const member = typeof top?.member === 'string' ? top.member : '';
          const data = parseMemberData(text, member);
          process.stdout.write(`${file}: valid data file for member "${data.member}": ${data.services.length} services, ${data.projects.length} projects\n`);
        }
      } catch (err) {
        if (err instanceof RegistryError || err instanceof DataFileError) {
          const problems = err.problems;
          throw new CliError(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`, 2);
        }
        throw err;
      }
    });
}

/** Checks a running member subgraph (health, schema version, its SDL against the contract), or a gateway. */
async function checkLiveEndpoint(url: string): Promise<void> {
  const { healthUrl } = await import('../../../gateway/src/health/member-health');
  const { checkCompatibility } = await import('../../../schema/compatibility');
  const { loadMemberContract } = await import('../../../schema/contract');
  const { SCHEMA_VERSION } = await import('../../../schema/version');
  const { readCappedBody } = await import('../../../gateway/src/http/read-capped-body');
  const { MAX_SDL_BYTES } = await import('../../../gateway/src/health/member-probe');
  const get = async (target: string, init?: RequestInit) => {
    try {
      const res = await fetch(target, { ...init, signal: AbortSignal.timeout(5000) });
      // what a member sends is untrusted: read at most the SDL cap, cut while it streams
      const text = res.body ? (await readCappedBody(res.body, MAX_SDL_BYTES)).toString('utf8') : '';
      return { status: res.status, json: JSON.parse(text) as Record<string, any> };
    } catch (err) {
      throw new CliError(`${target}: not reachable or not JSON (${(err as Error).message})`);
    }
  };
  const health = await get(healthUrl(url));
  if (health.status !== 200) throw new CliError(`${url}: /health answered HTTP ${health.status}`);
  // a member's /health names the member; a gateway's does not
  if (typeof health.json.member !== 'string') return checkLiveGateway(url, get);
  process.stdout.write(`health: ok (member "${health.json.member}", schema ${health.json.schemaVersion}; this tool speaks ${SCHEMA_VERSION})\n`);
  if (String(health.json.schemaVersion).split('.')[0] !== SCHEMA_VERSION.split('.')[0]) process.stdout.write('warning: different major schema version\n');
  const sdl = await get(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
  const text = sdl.json.data?._service?.sdl;
  if (typeof text !== 'string') throw new CliError(`${url}: does not serve _service { sdl } (not a federation subgraph?)`);
  const result = await checkCompatibility(loadMemberContract().schema, text);
  if (!result.compatible) throw new CliError(`${url}: incompatible with the network contract:\n  ${result.problems.join('\n  ')}`, 2);
  process.stdout.write(`${url}: compatible with the network contract\n`);
}

type Get = (target: string, init?: RequestInit) => Promise<{ status: number; json: Record<string, any> }>;

/** Checks a running gateway: the network it serves and whether its members are reachable. */
async function checkLiveGateway(url: string, get: Get): Promise<void> {
  const { SCHEMA_VERSION } = await import('../../../schema/version');
  const query = '{ network { id name schemaVersion memberCount } members { id status { reachable } } }';
  const answer = await get(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' }, body: JSON.stringify({ query }) });
  const network = answer.json.data?.network as { id: string; name: string; schemaVersion: string; memberCount: number } | undefined;
  if (!network) throw new CliError(`${url}: answers /health but is neither a member subgraph (no member in /health) nor a gateway (no network in its answer)`);
  process.stdout.write(`health: ok (gateway of network "${network.id}" (${network.name}), schema ${network.schemaVersion}; this tool speaks ${SCHEMA_VERSION})\n`);
  if (String(network.schemaVersion).split('.')[0] !== SCHEMA_VERSION.split('.')[0]) process.stdout.write('warning: different major schema version\n');
  const members = (answer.json.data?.members ?? []) as { id: string; status?: { reachable?: boolean } }[];
  const unreachable = members.filter((m) => m.status?.reachable === false).map((m) => m.id);
  process.stdout.write(`${url}: gateway with ${network.memberCount} members, ${network.memberCount - unreachable.length} reachable\n`);
  if (unreachable.length) process.stdout.write(`warning: unreachable: ${unreachable.join(', ')}\n`);
}
