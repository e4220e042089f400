import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from '../context';

export interface MemberQueryResult {
  data: Record<string, any>;
  /** Members that were asked and did not answer: sums over the rest are incomplete. */
  missing: string[];
  /** Members whose answer had an error or a dropped record (the gateway names them itself). */
  incomplete: string[];
}

type Process = (options: GraphQLDataSourceProcessOptions<GatewayContext>) => Promise<GatewayGraphQLResponse>;

/**
 * Lets the in-process `network` subgraph ask every member a question through the same fan-out
 * (same caller, same signed assertions, same deadlines and breakers). Answers are shared within
 * one request, so totals, summaries and participants cost one fan-out each per request.
 */
export function createMemberQuery(process: Process) {
  const perRequest = new WeakMap<GatewayContext, Map<string, Promise<MemberQueryResult>>>();
  const asserted = new WeakMap<GatewayContext, GatewayContext>();
  // These are the gateway's own questions, not the caller's operation: a proven caller's proof
  // is not forwarded with them, and a `proven` member answers them as for an asserted caller.
  const withoutProof = (ctx: GatewayContext): GatewayContext => {
    if (!ctx.forwardProof) return ctx;
    let copy = asserted.get(ctx);
    if (!copy) asserted.set(ctx, (copy = { ...ctx, forwardProof: undefined }));
    return copy;
  };
  return function memberQuery(ctx: GatewayContext, query: string, variables: Record<string, unknown> = {}): Promise<MemberQueryResult> {
    let cache = perRequest.get(ctx);
    if (!cache) perRequest.set(ctx, (cache = new Map()));
    const key = `${query}\n${JSON.stringify(variables)}`;
    let result = cache.get(key);
    if (!result) {
      result = process({
        kind: 'incoming operation',
        request: { query, variables },
        context: withoutProof(ctx),
        incomingRequestContext: undefined,
      } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>).then((response) => ({
        data: (response.data ?? {}) as Record<string, any>,
        missing: membersNamed((response.errors ?? []).filter((e) => e.extensions?.code === 'MEMBER_UNAVAILABLE')),
        incomplete: membersNamed(response.errors ?? []),
      }));
      cache.set(key, result);
    }
    return result;
  };
}

export type MemberQuery = ReturnType<typeof createMemberQuery>;

/** The members errors name (the fan-out sets `extensions.member` itself: a member cannot name another). */
function membersNamed(errors: readonly { extensions?: Record<string, unknown> }[]): string[] {
  return [...new Set(errors.map((e) => e.extensions?.member).filter((m): m is string => typeof m === 'string'))].sort();
}
