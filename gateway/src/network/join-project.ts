import { Kind, parse, print, type DocumentNode, type FieldNode, type OperationDefinitionNode } from 'graphql';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { RegistryMember } from '../../../common/registry/registry.schema';
import type { GatewayContext } from '../context';
import { argumentValue, pruneUnusedVariables, type OperationPlan } from '../fanout/operation-plan';
import type { Ask, MutationHandler } from '../fanout/route-mutation';

const PROJECT_VAR = 'infrared__project';
const VISIBILITY_PROBE = 'infrared__visibility';
const fail = (message: string, code: string, extra: Record<string, unknown> = {}) => ({ errors: [{ message, extensions: { code, ...extra } }] }) as GatewayGraphQLResponse;

/**
 * `joinProject` is recorded at the caller's own member, but the project belongs to its lead. So
 * the gateway first reads the project from the lead (with the caller's view: a project the
 * caller cannot see cannot be joined), then records the confirmation at the caller's member,
 * as visible as the project (unless the caller gives a visibility), and answers with the lead's
 * project.
 */
async function joinProject(
  plan: OperationPlan,
  variables: Record<string, unknown>,
  own: RegistryMember,
  members: RegistryMember[],
  context: GatewayContext,
  ask: Ask,
): Promise<GatewayGraphQLResponse> {
  const operation = plan.probed.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== '__typename');
  if (fields.length !== 1) return fail('joinProject must be the only field of its mutation', 'BAD_USER_INPUT');
  const field = fields[0];
  const key = field.alias?.value ?? field.name.value;
  const projectId = argumentValue(field.arguments?.find((a) => a.name.value === 'projectId')?.value, variables);
  const lead = typeof projectId === 'string' ? members.find((m) => projectId.startsWith(`${m.id}:`)) : undefined;
  if (!lead) return fail('Invalid input: projectId: no such project in this network', 'BAD_USER_INPUT');

  const read = withOperation(plan.probed, {
    ...operation,
    operation: 'query' as never,
    name: undefined,
    variableDefinitions: [...(operation.variableDefinitions ?? []), ...parseVariable()],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [projectLookup(key, field)] },
  });
  const before = await ask(lead, print(pruneUnusedVariables(read)), { ...variables, [PROJECT_VAR]: projectId }, undefined, context);
  if (before.unavailable) return { errors: [before.unavailable] } as GatewayGraphQLResponse;
  if (!before.data?.[key]) return fail('Project not found', 'NOT_FOUND', { member: lead.id });

  // a participation is as visible as the project it confirms, unless the caller says otherwise
  const visibility = (before.data[key] as Record<string, unknown>)[VISIBILITY_PROBE];
  delete (before.data[key] as Record<string, unknown>)[VISIBILITY_PROBE];
  const args = [...(field.arguments ?? [])];
  if (!args.some((a) => a.name.value === 'visibility') && typeof visibility === 'string') {
    args.push({ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'visibility' }, value: { kind: Kind.ENUM, value: visibility } });
  }
  const write = withOperation(plan.probed, {
    ...operation,
    selectionSet: { kind: Kind.SELECTION_SET, selections: [{ ...field, arguments: args, selectionSet: { kind: Kind.SELECTION_SET, selections: [idField()] } }] },
  });
  const recorded = await ask(own, print(pruneUnusedVariables(write)), variables, undefined, context);
  if (recorded.unavailable) return { errors: [recorded.unavailable] } as GatewayGraphQLResponse;
  if (recorded.errors.length || !recorded.data?.[key])
    return {
      data: null,
      errors: recorded.errors.length ? recorded.errors : [{ message: 'joinProject failed', extensions: { code: 'INTERNAL_SERVER_ERROR', member: own.id } }],
    } as GatewayGraphQLResponse;
  return { data: { [key]: before.data[key] }, errors: before.errors.length ? before.errors : undefined } as GatewayGraphQLResponse;
}

/** Member calls `joinProject` makes: the read at the lead and the write at the caller's member. */
export const JOIN_PROJECT_CALLS = 2;

/** Mutations the gateway composes from more than one member call, by root field. */
export const NETWORK_MUTATIONS: ReadonlyMap<string, MutationHandler> = new Map([['joinProject', joinProject]]);

function withOperation(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  return { ...document, definitions: document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? operation : d)) };
}

function parseVariable() {
  const op = parse(`query($${PROJECT_VAR}: ID!) { __typename }`).definitions[0] as OperationDefinitionNode;
  return op.variableDefinitions ?? [];
}

function projectLookup(alias: string, field: FieldNode): FieldNode {
  return {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: alias },
    name: { kind: Kind.NAME, value: 'project' },
    arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'id' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: PROJECT_VAR } } }],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [...(field.selectionSet?.selections ?? []), { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: VISIBILITY_PROBE }, name: { kind: Kind.NAME, value: 'visibility' } }],
    },
  };
}

function idField(): FieldNode {
  return { kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'id' } };
}
