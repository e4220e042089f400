import type { PrivateJwk } from '../../../common/auth/keys';
import type { Logger } from '../../../common/logger';
import type { GatewayConfig } from '../config';
import { MemberCaller } from './member-caller';
import { MemberClient } from './member-client';

/**
 * The transport to members as configured: a bounded HTTP client whose socket pools are shared
 * among the registry's members, and the caller (admission, deadlines, breakers, signing).
 */
export function createMemberCalls(
  config: GatewayConfig,
  signingKey: PrivateJwk | undefined,
  memberCount: () => number,
  logger: Logger,
  acceptsBatchAssertions?: (memberId: string) => boolean,
  onBatchRefused?: (memberId: string) => void,
): { client: MemberClient; caller: MemberCaller } {
  const client = new MemberClient({
    maxResponseBytes: config.maxMemberResponseBytes,
    pools: { totalSockets: config.memberSockets, members: memberCount },
  });
  const caller = new MemberCaller({
    client,
    gatewayId: config.gatewayId,
    signingKey,
    acceptsBatchAssertions,
    onBatchRefused,
    defaultDeadlineMs: config.memberDeadlineMs,
    breakerFailures: config.breakerFailures,
    breakerHalfOpenMs: config.breakerHalfOpenMs,
    dedupe: config.dedupeRequests,
    admission: { perMember: config.memberConcurrency, total: config.maxMemberCalls, queue: config.admissionQueue, queueWaitMs: config.admissionWaitMs },
    logger,
  });
  return { client, caller };
}
