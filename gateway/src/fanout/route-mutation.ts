import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../context';
import type { RegistryMember } from '../../../common/registry/registry.schema';
import type { MemberAnswer, SubgraphError } from './merge';
import type { OperationPlan } from './operation-plan';

export type Ask = (
  member: RegistryMember,
  query: string,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  context: GatewayContext,
) => Promise<MemberAnswer & { unavailable?: SubgraphError }>;

/** A mutation the gateway composes from several member calls (network/): it gets the caller's own member and every member. */
export type MutationHandler = (
  plan: OperationPlan,
  variables: Record<string, unknown>,
  own: RegistryMember,
  members: RegistryMember[],
  context: GatewayContext,
  ask: Ask,
) => Promise<GatewayGraphQLResponse>;

/**
 * Writes go to the caller's own member only, and need the `write` scope. The member checks
 * again: the gateway's routing is a convenience, not the security boundary.
 */
export async function routeMutation(
  plan: OperationPlan,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  members: RegistryMember[],
  context: GatewayContext,
  ask: Ask,
  handlers: ReadonlyMap<string, MutationHandler> = new Map(),
): Promise<GatewayGraphQLResponse> {
  const { caller } = context;
  if (caller.anonymous || !caller.member) {
    return { errors: [{ message: 'Writes need a token issued by a member', extensions: { code: 'UNAUTHENTICATED' } }] } as GatewayGraphQLResponse;
  }
  if (!caller.scopes.includes('write')) {
    return { errors: [{ message: 'Writes need the "write" scope', extensions: { code: 'FORBIDDEN' } }] } as GatewayGraphQLResponse;
  }
  const own = members.find((m) => m.id === caller.member);
  if (!own) {
    return { errors: [{ message: `Member "${caller.member}" is not reachable from this gateway`, extensions: { code: 'MEMBER_UNAVAILABLE', member: caller.member } }] } as GatewayGraphQLResponse;
  }
  const composed = plan.rootFields.find((f) => handlers.has(f.name));
  // a composed mutation asks members for what the caller did not literally send: no proof is
  // forwarded with it (a `proven` member answers such calls as for an asserted caller)
  if (composed) return handlers.get(composed.name)!(plan, variables, own, members, { ...context, forwardProof: undefined }, ask);
  const answer = await ask(own, plan.probedText, variables, operationName, context);
  const errors = [...(answer.unavailable ? [answer.unavailable] : []), ...answer.errors.map((e) => ({ ...e, extensions: { ...(e.extensions ?? {}), member: e.extensions?.member ?? own.id } }))];
  return { data: answer.data, errors: errors.length ? errors : undefined } as GatewayGraphQLResponse;
}
