/**
 * The prefix of every Redis key a gateway writes (response cache and its generation, rate-limit
 * counters, the public index): `infrared:<network id>:<gateway group>:`. Gateways of two
 * networks, or two groups of one network (for example two sets of replicas with different
 * settings), can then share one Redis without reading each other's answers or counters.
 * Both parts are percent-encoded, so no choice of ids can make two namespaces overlap.
 * @example redisNamespace('infrared', 'default') // 'infrared:infrared:default:'
 */
export function redisNamespace(networkId: string, group: string): string {
  return `infrared:${encodeURIComponent(networkId)}:${encodeURIComponent(group)}:`;
}
