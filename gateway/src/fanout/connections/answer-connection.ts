import { GraphQLError, Kind, type FieldNode, type GraphQLObjectType, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { ConnectionFacts } from '../../../../schema/kind-facts';
import { collectFields, fragmentsOf, type CollectedField } from '../answer-check/collect-fields';
import { INVALID_ANSWER } from '../answer-check/check-answer';
import type { SubgraphError } from '../merge';
import { argumentValue, type OperationPlan, type RootField } from '../operation-plan';
import { fetchPage, type AskPage, type FetchedPage } from './fetch-page';
import { decodeWalkCursor, encodeWalkCursor, startState, type WalkState } from '../../../../common/connections/walk-cursor';
import { walkStates } from './walk-states';

/** Records in a page when `first` is not given (the members' default too). */
export const DEFAULT_PAGE = 50;
/** The most records in one page (the members' cap). */
export const MAX_PAGE = 1000;

export interface ConnectionRequest {
  plan: OperationPlan;
  field: RootField;
  facts: ConnectionFacts;
  schema: GraphQLSchema;
  variables: Record<string, unknown>;
  /** Members asked for this connection (after `filter.members`). */
  targets: readonly string[];
  ask: AskPage;
}

/** The caller's `first`, checked like the members check it. */
export function requestedFirst(value: unknown, field: string): number {
  if (value === undefined || value === null) return DEFAULT_PAGE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_PAGE) {
    throw new GraphQLError(`Invalid input: ${field}: first: from 0 to ${MAX_PAGE} records a page; ask for the next page with \`after\``, {
      extensions: { code: 'BAD_USER_INPUT', fields: [`first: from 0 to ${MAX_PAGE}`] },
    });
  }
  return value;
}

/**
 * One page of a connection root field through the gateway: the caller's cursor checked, the
 * members' pages fetched and checked (fetch-page.ts), and the caller's selection answered with
 * the merged edges, gateway cursors, the summed count and the members that did not answer.
 */
export async function answerConnection(req: ConnectionRequest): Promise<{ data: Record<string, unknown>; errors: SubgraphError[] }> {
  const { field, variables } = req;
  const first = requestedFirst(argumentValue(field.args.get('first'), variables), field.name);
  const after = argumentValue(field.args.get('after'), variables);
  const start = after === null || after === undefined ? startState(field.name) : typeof after === 'string' ? decodeWalkCursor(field.name, after) : decodeWalkCursor(field.name, '');
  const selection = connectionSelection(req);
  const fetched = await fetchPage({
    state: start,
    targets: req.targets,
    first,
    count: selection.some((f) => f.name === 'totalCount'),
    edgeKeys: selection.filter((f) => f.name === 'edges').map((f) => f.responseKey),
    ask: req.ask,
  });
  const errors: SubgraphError[] = fetched.problems.map((p) => ({
    message: p.message,
    path: [field.responseKey],
    extensions: { code: INVALID_ANSWER, member: p.member },
  }));
  return { data: shapeConnection(req, selection, start, fetched), errors };
}

function connectionSelection(req: ConnectionRequest): CollectedField[] {
  const document = req.plan.probed;
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = fragmentsOf(document);
  const query = req.schema.getQueryType()!;
  const root = collectFields(req.schema, fragments, operation, () => [operation.selectionSet.selections], query, req.variables).find((f) => f.responseKey === req.field.responseKey);
  if (!root) return [];
  const type = req.schema.getType(req.facts.type) as GraphQLObjectType;
  return collectFields(req.schema, fragments, root.nodes[0], () => root.nodes.map((n) => n.selectionSet?.selections ?? []), type, req.variables);
}

function shapeConnection(req: ConnectionRequest, selection: CollectedField[], start: WalkState, fetched: FetchedPage): Record<string, unknown> {
  const states = walkStates(start, fetched.visits);
  const edgeCursors = states.edges.map(encodeWalkCursor);
  const moved = fetched.visits.length > 0;
  const endCursor = moved ? encodeWalkCursor(states.end) : edgeCursors.length ? edgeCursors[edgeCursors.length - 1] : null;
  const fragments = fragmentsOf(req.plan.probed);
  const sub = (f: CollectedField, typeName: string) =>
    collectFields(req.schema, fragments, f.nodes[0], () => f.nodes.map((n: FieldNode) => n.selectionSet?.selections ?? []), req.schema.getType(typeName) as GraphQLObjectType, req.variables);
  const out: Record<string, unknown> = {};
  for (const f of selection) {
    switch (f.name) {
      case '__typename':
        out[f.responseKey] = req.facts.type;
        break;
      case 'edges': {
        const cursorKeys = sub(f, req.facts.edgeType)
          .filter((e) => e.name === 'cursor')
          .map((e) => e.responseKey);
        const edges: unknown[] = [];
        for (const v of fetched.visits) {
          const list = v.page?.connection[f.responseKey] as Record<string, unknown>[] | undefined;
          for (let j = 0; j < v.taken && list; j++) {
            const edge = { ...list[j] };
            for (const key of cursorKeys) edge[key] = edgeCursors[edges.length];
            edges.push(edge);
          }
        }
        out[f.responseKey] = edges;
        break;
      }
      case 'pageInfo': {
        const info: Record<string, unknown> = {};
        for (const p of sub(f, 'PageInfo')) {
          info[p.responseKey] = p.name === 'hasNextPage' ? fetched.hasNextPage : p.name === 'endCursor' ? endCursor : p.name === '__typename' ? 'PageInfo' : null;
        }
        out[f.responseKey] = info;
        break;
      }
      case 'totalCount':
        out[f.responseKey] = fetched.totalCount ?? 0;
        break;
      case 'unavailableMembers':
        out[f.responseKey] = fetched.unavailable;
        break;
      default:
        out[f.responseKey] = null;
    }
  }
  return out;
}
