import gql from 'graphql-tag';
import { parse } from 'graphql';
import { networkFeedSdl } from '../changes/feed-sdl';
import type { FetchNetworkChanges } from '../changes/network-changes';
import type { GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { DateTimeResolver } from 'graphql-scalars';
import { localize, parseAcceptLanguage } from '../../../common/i18n';
import { RESOURCES, SCHEMA_VERSION, SUPPORT_KINDS } from '../../../schema';
import type { GatewayContext } from '../context';
import type { MemberHealth } from '../health/member-health';
import { capacityTotals, memberProjects, networkSummary, projectParticipants, supportMatches } from './network-aggregates';
import type { MemberQuery } from './member-queries';
import { filterCatalogue, type PublicIndex } from '../index/public-index';
import type { RegistryMember } from '../../../common/registry/registry.schema';

/** The `network` subgraph's SDL: the registry, served in-process by the gateway. */
export const NETWORK_SDL = /* GraphQL */ `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

scalar DateTime

type Query {
  network: Network!
  "Who the gateway takes the caller to be."
  viewer: Viewer!
  members(region: String, language: String): [Member!]!
  member(id: ID!): Member
  "Solidarity: open needs paired with offers of the same kind from other members that share a language (at most INFRARED_MAX_SUPPORT_MATCHES pairs)."
  supportMatches(kind: SupportKind): [SupportMatch!]!
  "The PUBLIC service catalogue from the gateway's public index, without a fan-out (for large networks). Null when the index is off."
  publicCatalogue(filter: CatalogueFilter, limit: Int): PublicCatalogue
}

input CatalogueFilter { kinds: [String!]  members: [ID!]  regions: [String!]  languages: [String!]  status: [String!]  acceptingUsers: Boolean  text: String }

type PublicCatalogue {
  refreshedAt: DateTime!
  "Members that did not answer the last crawl, or whose answer broke the contract: their entries are from an earlier crawl, or absent."
  missingMembers: [ID!]!
  entries: [CatalogueEntry!]!
}

"A PUBLIC service as the public index holds it (description in the member's first language)."
type CatalogueEntry {
  id: ID!
  member: Member!
  name: String!
  kind: String!
  status: String!
  acceptingUsers: Boolean!
  languages: [String!]!
  regions: [String!]!
  url: String
  software: String
  description: String
}

enum Resource { ${RESOURCES.join(' ')} }
enum SupportKind { ${SUPPORT_KINDS.join(' ')} }

type CapacityTotal {
  resource: Resource!
  total: Float!
  used: Float!
  available: Float!
  "Members whose visible numbers were summed."
  members: Int!
  "Members that did not answer: the sums do not include them."
  missingMembers: [ID!]!
  complete: Boolean!
}

type Count { key: String!  count: Int! }

type NetworkSummary {
  services: Int!
  members: Int!
  "At most 200 keys, the largest counts first (as are byRegion and byLanguage)."
  byKind: [Count!]!
  byRegion: [Count!]!
  byLanguage: [Count!]!
  missingMembers: [ID!]!
  complete: Boolean!
}

type Project @key(fields: "id") {
  id: ID!
  invited: [Member!]! @external
  "Members that the lead invited AND that confirmed their participation on their own subgraph."
  participants: [Member!]! @requires(fields: "invited { id }")
}

type SupportOffer @key(fields: "id", resolvable: false) { id: ID! }
type SupportNeed @key(fields: "id", resolvable: false) { id: ID! }

type SupportMatch {
  need: SupportNeed!
  offer: SupportOffer!
  kind: SupportKind!
  "Languages the need and the offer share."
  languages: [String!]!
}

type Network {
  id: ID!
  name: String!
  "The version of the network contract this gateway serves."
  schemaVersion: String!
  memberCount: Int!
  regions: [String!]!
  languages: [String!]!
  "Network-wide sums over the capacity the caller may see, with the members missing from them."
  totals(resource: Resource!): CapacityTotal!
  "Counts of the services the caller may see, by kind, region and language."
  summary: NetworkSummary!
}

type Viewer {
  anonymous: Boolean!
  member: Member
  subject: String
  scopes: [String!]!
}

type Member @key(fields: "id") {
  "slug: [a-z0-9-]+"
  id: ID!
  name: String!
  region: String!
  "ISO 3166-1 alpha-2"
  countries: [String!]!
  "BCP 47"
  languages: [String!]!
  website: String
  description(lang: String): String
  status: MemberStatus!
  "Projects this member leads or has confirmed taking part in."
  projects: [Project!]
}

"""
What callers get from a member now: OK (answers, database up, accepts this gateway), UNAVAILABLE (no
answer, or its database is down or hangs), UNTRUSTED (refuses or cannot verify this gateway's signed
assertions: callers get UNAUTHENTICATED or PUBLIC data only), INCOMPATIBLE (its schema lacks the
contract), UNKNOWN (not checked yet).
"""
enum MemberState { OK UNAVAILABLE UNTRUSTED INCOMPATIBLE UNKNOWN }

type MemberStatus {
  state: MemberState!
  "The member answered its last health check."
  reachable: Boolean!
  "The member's own readiness (its database); null until checked."
  ready: Boolean
  "Whether the member accepts this gateway's signed assertions; null when not known."
  trusted: Boolean
  latencyMs: Float
  schemaVersion: String
  checkedAt: DateTime
  "The last time the member answered its health check."
  lastSeen: DateTime
  "Whether the member's schema serves the network contract (null until read). Incompatible members are not asked."
  compatible: Boolean
  "What the member's schema lacks, when it is incompatible."
  problems: [String!]!
  "The member's circuit breaker: closed, open or half_open."
  breaker: String!
}
`;

/** The `network` subgraph's whole SDL: the registry part, and the network change feed derived from the member contract. */
export function networkSdl(memberSdl: string): string {
  const declared = new Set(parse(NETWORK_SDL).definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : [])));
  return NETWORK_SDL + networkFeedSdl(memberSdl, declared);
}

/** The network change feed, for `networkChanges`: the member contract's SDL and the feed over the members. */
export interface NetworkFeed {
  memberSdl: string;
  fetch: FetchNetworkChanges;
}

/** Builds the in-process `network` subgraph over the live registry and health checks. */
export function buildNetworkSubgraph(
  health: MemberHealth,
  breakerState: (member: string) => string,
  query: MemberQuery,
  publicIndex: PublicIndex | undefined,
  limits: { maxSupportMatches?: number },
  feed: NetworkFeed,
): GraphQLSchema {
  const find = (ctx: GatewayContext, id: string) => ctx.registry.members.find((m) => m.id === id) ?? null;
  return buildSubgraphSchema([
    {
      typeDefs: gql(networkSdl(feed.memberSdl)),
      resolvers: {
        DateTime: DateTimeResolver,
        Query: {
          network: (_: unknown, __: unknown, ctx: GatewayContext) => {
            const members = ctx.registry.members;
            return {
              id: ctx.registry.network.id,
              name: ctx.registry.network.name,
              schemaVersion: SCHEMA_VERSION,
              memberCount: members.length,
              regions: [...new Set(members.map((m) => m.region))].sort(),
              languages: [...new Set(members.flatMap((m) => m.languages))].sort(),
            };
          },
          viewer: (_: unknown, __: unknown, ctx: GatewayContext) => ({
            anonymous: ctx.caller.anonymous,
            member: ctx.caller.member ? find(ctx, ctx.caller.member) : null,
            subject: ctx.caller.subject ?? null,
            scopes: ctx.caller.scopes,
          }),
          members: (_: unknown, args: { region?: string | null; language?: string | null }, ctx: GatewayContext) =>
            ctx.registry.members.filter(
              (m) =>
                (!args.region || m.region.toLowerCase() === args.region.toLowerCase()) &&
                (!args.language || m.languages.some((l) => l.toLowerCase().split('-')[0] === args.language!.toLowerCase().split('-')[0])),
            ),
          member: (_: unknown, args: { id: string }, ctx: GatewayContext) => find(ctx, args.id),
          supportMatches: (_: unknown, args: { kind?: string | null }, ctx: GatewayContext) => supportMatches(query, ctx, args.kind, limits.maxSupportMatches),
          networkChanges: (_: unknown, args: { since?: string | null; kinds?: string[] | null; members?: string[] | null; first?: number | null }, ctx: GatewayContext) =>
            feed.fetch({ context: ctx, ...args }),
          publicCatalogue: async (_: unknown, args: { filter?: Parameters<typeof filterCatalogue>[1]; limit?: number | null }, ctx: GatewayContext) => {
            const snapshot = await publicIndex?.snapshot();
            if (!snapshot) return null;
            // entries of members that have left the registry are not served
            const registered = snapshot.entries.filter((e) => find(ctx, e.member));
            return { ...snapshot, entries: filterCatalogue(registered, args.filter ?? {}, args.limit).map((e) => ({ ...e, member: find(ctx, e.member) })) };
          },
        },
        ChangeRecord: { __resolveType: (record: { __typename: string }) => record.__typename },
        Network: {
          totals: (_: unknown, args: { resource: string }, ctx: GatewayContext) => capacityTotals(query, ctx, args.resource),
          summary: (_: unknown, __: unknown, ctx: GatewayContext) => networkSummary(query, ctx),
        },
        Project: {
          __resolveReference: (ref: { id: string; invited?: { id: string }[] }) => ref,
          participants: async (project: { id: string; invited?: { id: string }[] }, _: unknown, ctx: GatewayContext) =>
            (await projectParticipants(query, ctx, project)).map((m) => find(ctx, m.id)).filter((m) => m !== null),
        },
        Member: {
          __resolveReference: (ref: { id: string }, ctx: GatewayContext) => find(ctx, ref.id),
          description: (m: RegistryMember, args: { lang?: string | null }, ctx: GatewayContext) =>
            localize(m.description, { lang: args.lang, acceptLanguage: parseAcceptLanguage(ctx.acceptLanguage), memberLanguages: m.languages }),
          status: (m: RegistryMember) => {
            const status = health.status(m.id);
            return { ...status, state: status.state.toUpperCase(), breaker: breakerState(m.id) };
          },
          website: (m: RegistryMember) => m.website ?? null,
          projects: (m: RegistryMember, _: unknown, ctx: GatewayContext) => memberProjects(query, ctx, m.id),
        },
      },
    },
  ]);
}
