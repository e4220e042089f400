import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context';
import { operationCost, type CostModel } from './operation-cost';
import type { CallerBudget } from './rate-limit';

export interface CostLimits {
  /** Member root fields × members reached, per operation. */
  maxFanout: number;
  /** Estimated field resolutions per operation. */
  maxCost: number;
  /** Cost units per rate-limit point: a request is charged ceil(cost / costPerPoint) points. */
  costPerPoint: number;
}

/** The rate-limit points an operation of this cost is charged (at least one). */
export function pointsFor(cost: number, costPerPoint: number): number {
  return Math.max(1, Math.ceil(cost / costPerPoint));
}

/**
 * Before anything is sent: estimates the operation's fan-out and cost against the registry the
 * request started with, refuses it above a ceiling (400 FANOUT_LIMIT / COST_LIMIT), then charges
 * the caller's and its issuing member's rate limits by the cost, not by the request (429
 * RATE_LIMITED with Retry-After). One point was already charged when the request was admitted.
 */
export function costPlugin(opts: { model: CostModel; limits: CostLimits; budget: CallerBudget }): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request, contextValue }) {
          if (!operation) return;
          const members = contextValue.registry.members.map((m) => m.id);
          const { fanout, cost } = operationCost(schema, document, operation, request.variables ?? {}, members, opts.model);
          if (fanout > opts.limits.maxFanout) {
            throw refusal(`Query fans out too widely: ${fanout} member calls (limit ${opts.limits.maxFanout}); narrow it with filter.members`, 'FANOUT_LIMIT', 400);
          }
          if (cost > opts.limits.maxCost) {
            throw refusal(`Query is too expensive: estimated cost ${cost} (limit ${opts.limits.maxCost}); ask for less nesting or pass first/limit`, 'COST_LIMIT', 400);
          }
          const points = pointsFor(cost, opts.limits.costPerPoint);
          contextValue.cost = { estimate: cost, points };
          const wait = await opts.budget.charge(contextValue.caller, contextValue.ip, points - 1);
          if (wait !== undefined) throw refusal('Too many requests', 'RATE_LIMITED', 429, { 'retry-after': String(wait) });
        },
      };
    },
  };
}

function refusal(message: string, code: string, status: number, headers?: Record<string, string>): GraphQLError {
  const http = { status, headers: new Map(Object.entries(headers ?? {})) };
  // Apollo Server reads `http.headers` as a Map (a type augmentation elsewhere says Record)
  return new GraphQLError(message, { extensions: { code, http } as never });
}
