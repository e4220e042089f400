import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Gateway, GatewayOptions } from '../../gateway/src/app';
import type { TestNetwork } from '../support/network';

let files = 0;

/**
 * A gateway of its own over some of a test network's real members (they issue the callers'
 * tokens) and extra endpoints (fakes, or addresses nothing listens on), with its own settings.
 */
export async function gatewayOver(net: TestNetwork, opts: { real?: string[]; extra?: { id: string; url: string; deadlineMs?: number }[]; options?: Partial<GatewayOptions> }): Promise<Gateway> {
  const registry = parse(net.registryText());
  registry.members = registry.members.filter((m: { id: string }) => (opts.real ?? []).includes(m.id));
  for (const e of opts.extra ?? []) registry.members.push({ name: e.id, region: 'Elsewhere', countries: [], languages: ['en'], keys: [], ...e });
  const registryFile = join(net.dir, `gateway-over-${++files}.yaml`);
  writeFileSync(registryFile, stringify(registry));
  return net.extraGateway({ registryFile, responseCacheTtlSeconds: 0, rateLimitPoints: 1_000_000, ...opts.options });
}
