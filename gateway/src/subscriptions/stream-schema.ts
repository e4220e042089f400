import { extendSchema, parse, type GraphQLSchema } from 'graphql';
import type { NetworkChange } from './change-source';

/** The gateway's own subscription root, served at /graphql/stream (members are never asked to stream). */
export const SUBSCRIPTION_SDL = /* GraphQL */ `
extend schema { subscription: Subscription }

type Subscription {
  """
  Changes across the network as members record them, for what the caller may see: one event per
  change, in the order of the network feed. With \`since\` (a cursor from an earlier event, or the
  stream's Last-Event-ID, which wins), the changes after it come first. \`minSeverity\` keeps the
  changes that carry a severity (incidents) at least that severe, and every REMOVE.
  """
  networkChanged(kinds: [RecordKind!], members: [ID!], minSeverity: Severity, since: String): Change!
}
`;

export interface NetworkChangedArgs {
  kinds?: string[] | null;
  members?: string[] | null;
  minSeverity?: string | null;
  since?: string | null;
}

/** What a stream's resolvers need from its connection. */
export interface StreamContext {
  /** The subscription's changes, once its start is fixed (the stream is acknowledged after this resolves). */
  open(args: NetworkChangedArgs): Promise<AsyncIterableIterator<NetworkChange>>;
}

/** The network's API schema with the subscription root added. */
export function buildStreamSchema(apiSchema: GraphQLSchema): GraphQLSchema {
  const schema = extendSchema(apiSchema, parse(SUBSCRIPTION_SDL), { assumeValidSDL: false });
  const field = schema.getSubscriptionType()!.getFields().networkChanged;
  field.subscribe = (_root: unknown, args: NetworkChangedArgs, context: StreamContext) => context.open(args);
  field.resolve = (change: NetworkChange) => change;
  return schema;
}
