import type { MemberContract } from '../../../schema/contract';
import type { CostModel } from '../limits/operation-cost';
import { NESTED_LIST_SIZE } from '../limits/operation-cost';
import { JOIN_PROJECT_CALLS } from './join-project';

/**
 * The network subgraph's own fan-outs (network-aggregates.ts), which the cost rule counts like
 * any member root field: `Type.field` → fan-outs to every member per request and arguments.
 */
export const NETWORK_AGGREGATES: ReadonlyMap<string, number> = new Map([
  ['Network.totals', 1],
  ['Network.summary', 1],
  ['Query.supportMatches', 1],
  ['Member.projects', 2],
  ['Project.participants', 1],
  ['Query.networkChanges', 1],
]);

/** Mutations the gateway composes from several member calls (join-project.ts), with their calls. */
export const COMPOSED_MUTATIONS: ReadonlyMap<string, number> = new Map([['joinProject', JOIN_PROJECT_CALLS]]);

/** Gateway lists with one item per registry member at most. */
export const REGISTRY_LISTS: ReadonlySet<string> = new Set(['Query.members']);

/** The cost model of this network: the member contract's kind facts plus the network subgraph's fan-outs. */
export function networkCostModel(contract: MemberContract, listSize: number): CostModel {
  return {
    memberFields: contract.queryFields,
    pushdown: contract.kinds.memberPushdown,
    listSize,
    memberLists: contract.kinds.memberLists,
    nestedListSize: NESTED_LIST_SIZE,
    aggregates: NETWORK_AGGREGATES,
    registryLists: REGISTRY_LISTS,
    memberMutations: new Set(Object.keys(contract.schema.getMutationType()?.getFields() ?? {})),
    composedMutations: COMPOSED_MUTATIONS,
  };
}
