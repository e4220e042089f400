import { ApolloArmor } from '@escape.tech/graphql-armor';
import { maxAliasesRule } from '../../../common/graphql-limits/max-aliases';
import { maxDuplicateFieldsRule } from '../../../common/graphql-limits/max-duplicate-fields';
import { oneDirectiveErrorPlugin } from '../../../common/graphql-limits/one-directive-error';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxCost: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 10, maxAliases: 15, maxTokens: 2000, maxDirectives: 20, maxCost: 5000 };

/**
 * Hostile-query protection with graphql-armor: depth, aliases, directives and cost. Tokens are
 * limited by graphql-js's own parser (`parseOptions.maxTokens`, passed to ApolloServer), not by
 * armor's max-tokens plugin: that plugin parses in `parsingDidStart`, where a throw is an
 * unexpected error, so every syntax error and every token-limit refusal became an HTTP 500
 * (graphql-armor#571, #751). From graphql-js they are 400 GRAPHQL_PARSE_FAILED.
 * Aliases (`__typename` included), repeated fields and directive errors use the shared rules in
 * common/graphql-limits, which members apply too (graphql-cop's overloading checks).
 */
export function queryArmor(limits: QueryLimits, production: boolean) {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    // our own alias rule counts `__typename` aliases too (armor's lets them through)
    maxAliases: { enabled: false },
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: { maxCost: limits.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: production },
  }).protect();
  return {
    plugins: [...plugins, oneDirectiveErrorPlugin()],
    validationRules: [...validationRules, maxAliasesRule({ n: limits.maxAliases }), maxDuplicateFieldsRule()],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
