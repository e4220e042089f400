import { Agent } from 'undici';
import type { Logger } from '../../../common/logger';
import type { RegistryWatcher } from '../../../common/registry/registry-watcher';
import { checkCompatibility } from '../../../schema/compatibility';
import type { MemberContract } from '../../../schema/contract';
import type { GatewayConfig } from '../config';
import type { PrivateJwk } from '../../../common/auth/keys';
import type { GatewayMetrics } from '../observability/metrics';
import { CompatibilityVerdicts } from './compatibility-verdicts';
import { MEMBER_STATES, MemberHealth } from './member-health';

/**
 * Checks every member of the registry now and then on an interval (reachability, readiness, trust
 * of this gateway's assertions, schema compatibility with the contract), following registry
 * edits, with each member's state as a metric. `close` stops it.
 */
export async function startMemberHealth(
  config: GatewayConfig,
  parts: { contract: MemberContract; registry: RegistryWatcher; signingKey?: PrivateJwk; metrics: GatewayMetrics; logger: Logger },
): Promise<{ health: MemberHealth; close(): Promise<void> }> {
  const { contract, registry, metrics, logger } = parts;
  const agent = new Agent({ connections: 4, keepAliveTimeout: 30_000 });
  // members serve a handful of distinct SDLs: each is built and compared with the contract once
  const verdicts = new CompatibilityVerdicts((sdl) => checkCompatibility(contract.schema, sdl));
  const health = new MemberHealth({
    dispatcher: agent,
    intervalMs: config.healthIntervalMs,
    timeoutMs: config.memberDeadlineMs,
    logger,
    gatewayId: config.gatewayId,
    signingKey: parts.signingKey,
    compatibility: (sdl) => verdicts.check(sdl),
    onStateChange: (member, state) => {
      for (const s of MEMBER_STATES) metrics.memberState.set({ member, state: s }, s === state ? 1 : 0);
    },
    onForget: (member) => {
      for (const state of MEMBER_STATES) metrics.memberState.remove({ member, state });
    },
  });
  await health.track(registry.registry.members);
  health.start();
  registry.onChange((next) => void health.track(next.members));
  return {
    health,
    async close() {
      health.stop();
      await agent.close();
    },
  };
}
