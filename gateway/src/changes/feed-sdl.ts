import { Kind, parse, print, type DefinitionNode, type DocumentNode, type ObjectTypeDefinitionNode } from 'graphql';
import { SEVERITIES } from '../../../schema/enums';

/** The member contract's feed: its root field and the types only it uses. */
export const MEMBER_FEED_FIELD = 'changes';
const MEMBER_FEED_TYPES = new Set(['Change', 'ChangePage', 'ChangeRecord', 'ChangeOperation', 'RecordKind']);

/**
 * The member SDL as the `members` subgraph of the supergraph: without the per-member feed, which
 * only the gateway asks (callers get `networkChanges`, one feed over every member).
 */
export function withoutMemberFeed(memberSdl: string): string {
  const doc = parse(memberSdl);
  const definitions: DefinitionNode[] = [];
  for (const d of doc.definitions) {
    if ('name' in d && d.name && MEMBER_FEED_TYPES.has(d.name.value)) continue;
    if (d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Query') {
      definitions.push({ ...d, fields: d.fields?.filter((f) => f.name.value !== MEMBER_FEED_FIELD) } as ObjectTypeDefinitionNode);
      continue;
    }
    definitions.push(d);
  }
  return print({ ...doc, definitions } as DocumentNode);
}

export interface FeedFacts {
  /** The RecordKind values, as the member contract lists them. */
  kinds: string[];
  /** RecordKind value → the federated type (with `@key`) the gateway can fetch the record as. */
  typeOfKind: Map<string, string>;
}

/** Reads the feed's kinds off the member contract: nothing here names a kind. */
export function feedFacts(memberSdl: string): FeedFacts {
  const doc = parse(memberSdl);
  const kinds: string[] = [];
  const keyed = new Set<string>();
  let union: string[] = [];
  for (const d of doc.definitions) {
    if (d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'RecordKind') kinds.push(...(d.values ?? []).map((v) => v.name.value));
    if (d.kind === Kind.UNION_TYPE_DEFINITION && d.name.value === 'ChangeRecord') union = (d.types ?? []).map((t) => t.name.value);
    if (d.kind === Kind.OBJECT_TYPE_DEFINITION && d.directives?.some((x) => x.name.value === 'key')) keyed.add(d.name.value);
  }
  const typeOfKind = new Map<string, string>();
  for (const type of union) {
    const kind = type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
    if (kinds.includes(kind) && keyed.has(type)) typeOfKind.set(kind, type);
  }
  return { kinds, typeOfKind };
}

/**
 * The network subgraph's part for `networkChanges`: the feed types, and a resolvable-false stub for
 * each record type it returns (the planner fetches the record from its owner, through `_entities`,
 * with the caller's visibility), except those the network SDL already declares.
 */
export function networkFeedSdl(memberSdl: string, declared: ReadonlySet<string>): string {
  const { kinds, typeOfKind } = feedFacts(memberSdl);
  const types = [...new Set(typeOfKind.values())].sort();
  const stubs = types.filter((t) => !declared.has(t)).map((t) => `type ${t} @key(fields: "id", resolvable: false) { id: ID! }`);
  return `
enum RecordKind { ${kinds.join(' ')} }
"UPSERT: the record is now as \`record\` says (create or replace). REMOVE: forget the record (deleted, or no longer visible to this caller)."
enum ChangeOperation { UPSERT REMOVE }
enum Severity { ${SEVERITIES.join(' ')} }
${stubs.join('\n')}
"The record a change is about, as the caller may see it now (fetched from its owner)."
union ChangeRecord = ${types.join(' | ')}

"One change to one record, as the caller may see it."
type Change {
  "Resume from just after this change (opaque)."
  cursor: String!
  kind: RecordKind!
  "The record's global id, \`<member>:<localId>\`."
  id: ID!
  operation: ChangeOperation!
  "When the member stored the change."
  at: DateTime!
  "The member that holds the record."
  member: ID!
  "For UPSERT: the record now, from its owner; null for REMOVE, for a record that changed again since (a later change follows), and for kinds without a federated type."
  record: ChangeRecord
  "For INCIDENT upserts: the severity; null otherwise."
  severity: Severity
}

type NetworkChangePage {
  changes: [Change!]!
  "Pass as \`since\` for the next page: opaque, it holds every member's position, so any gateway of this network can go on from it."
  cursor: String!
  "More changes may follow right away: ask again with \`cursor\`."
  hasMore: Boolean!
  "Members that did not answer (or broke the contract) for this page: their position in the cursor did not move, so nothing of theirs is lost."
  unavailableMembers: [ID!]!
}

extend type Query {
  "What changed in the network after \`since\` (none: start with every record the caller may see now). Records that become hidden from the caller come as REMOVE. A cursor older than a member keeps changes for fails with CURSOR_EXPIRED: resync without \`since\`."
  networkChanges(since: String, kinds: [RecordKind!], members: [ID!], first: Int): NetworkChangePage!
}
`;
}
