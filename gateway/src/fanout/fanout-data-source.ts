import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { requestBody, type SubRequestBody } from './request-body';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Logger } from '../../../common/logger';
import type { GatewayContext } from '../context';
import type { RegistryMember } from '../../../common/registry/registry.schema';
import { assembleEntities, groupRepresentations, type Representation } from './entities';
import type { MemberCallResult } from './member-client';
import type { MemberContract } from '../../../schema/contract';
import { mergeRootFields, type MemberAnswer, type SubgraphError } from './merge';
import { argumentValue, planOperation, subsetOperation, type OperationPlan } from './operation-plan';
import { routeMutation, type MutationHandler } from './route-mutation';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { heapBytes } from '../planning/heap-size';
import { answerConnection } from './connections/answer-connection';
import { connectionOperation, VAR_AFTER, VAR_COUNT, VAR_FIRST } from './connections/connection-operation';
import type { PageAnswer } from './connections/fetch-page';
import type { Registry } from '../../../common/registry/registry.schema';
import { answerRules, type AnswerRules } from './answer-check/answer-rules';
import { INVALID_ANSWER, startAnswerCheck } from './answer-check/check-answer';
import { memberErrors } from './answer-check/member-errors';
import { cappedLists } from './answer-check/capped-lists';

/** Sends one prepared body to one member; the composition root adds deadlines, breakers and signing. */
export type MemberCall = (member: RegistryMember, body: SubRequestBody, context: GatewayContext) => Promise<MemberCallResult>;
/** Sees every member call's result as the fan-out gets it (metrics). */
export type MemberCallObserver = (member: RegistryMember, result: MemberCallResult) => void;

/** The errors of an answer without any (most answers): shared, never written to. */
const NO_ERRORS: readonly SubgraphError[] = Object.freeze([]);

/** Default heap for the fan-out's operation plans, and as much again for the parsed operations sent. */
const DEFAULT_PLAN_BYTES = 8 * 2 ** 20;

export interface FanoutOptions {
  contract: MemberContract;
  /** The members this request may reach, from its registry snapshot. */
  members: (context: GatewayContext) => RegistryMember[];
  call: MemberCall;
  /** Called with each result `call` gave, once per request that waited on it (metrics). */
  observe?: MemberCallObserver;
  logger: Logger;
  /** Items taken from any one list of one member's answer (the members' own cap is 1,000). */
  maxListItems?: number;
  /** Mutations composed from several member calls (network/), by root field; others go to the caller's own member. */
  mutations?: ReadonlyMap<string, MutationHandler>;
  /** Heap for operation plans, and as much again for the parsed operations sent (LRU, by `heapBytes`; default 8 MiB). */
  planCacheBytes?: number;
}

/**
 * The logical `members` subgraph: one data source that fans each subgraph request out to the
 * member subgraphs and merges their answers, so @apollo/gateway sees one subgraph.
 * - root lists are scattered to every member and merged deterministically;
 * - lookups by global id go to the owner only;
 * - `_entities` representations are routed by id prefix and put back in order;
 * - mutations go to the caller's own member only.
 */
export class FanoutDataSource implements GraphQLDataSource<GatewayContext> {
  /** Plans by subgraph operation text, bounded by the heap they take (every new text is a new plan). */
  private readonly plans: LRUCache<string, OperationPlan>;
  /** Parsed operations as sent to members, for the answer check. */
  private readonly sent: LRUCache<string, DocumentNode>;
  /** Per registry snapshot: whether an id names one of its members. */
  private readonly registryMembers = new WeakMap<Registry, (id: string) => boolean>();
  private readonly rules: AnswerRules;

  constructor(private readonly opts: FanoutOptions) {
    this.rules = answerRules(opts.contract.schema);
    const maxSize = Math.max(1, Math.floor(opts.planCacheBytes ?? DEFAULT_PLAN_BYTES));
    // a plan's subsets are rendered later, for member pushdown: count its text twice more for them
    this.plans = new LRUCache({ maxSize, sizeCalculation: (plan) => heapBytes('operationPlan', plan.probed) + 3 * plan.probedText.length });
    this.sent = new LRUCache({ maxSize, sizeCalculation: (document) => heapBytes('document', document) });
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const context = options.context as GatewayContext;
    const query = options.request.query;
    if (!query) return { errors: [{ message: 'subgraph request without a query', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] as never };
    const plan = this.plan(query);
    const variables = options.request.variables ?? {};
    const members = this.opts.members(context);
    if (plan.operation === 'mutation') return routeMutation(plan, variables, options.request.operationName, members, context, this.ask, this.opts.mutations);
    if (plan.entities) return this.entities(plan, variables, options.request.operationName, members, context);
    return this.root(plan, variables, options.request.operationName, members, context);
  }

  /** The members this request may reach (compatible ones, from its registry snapshot). */
  reachableMembers(context: GatewayContext): RegistryMember[] {
    return this.opts.members(context);
  }

  /**
   * Asks one member a query of the member contract, for the gateway's own per-member calls (the
   * network change feed): same deadlines, assertions and breakers, and the answer is checked
   * against the contract and the sender's identity like any other.
   */
  askMember(member: RegistryMember, query: string, variables: Record<string, unknown>, context: GatewayContext): ReturnType<AskMember> {
    return this.ask(member, query, variables, undefined, context);
  }

  private plan(query: string): OperationPlan {
    let plan = this.plans.get(query);
    if (!plan) {
      plan = planOperation(query, this.opts.contract);
      this.plans.set(query, plan);
    }
    return plan;
  }

  private async root(plan: OperationPlan, variables: Record<string, unknown>, operationName: string | undefined, members: RegistryMember[], context: GatewayContext): Promise<GatewayGraphQLResponse> {
    const byId = new Map(members.map((m) => [m.id, m]));
    const targets = new Map<string, ReadonlySet<string>>();
    const perMember = new Map<string, Set<string>>();
    const connections: { field: (typeof plan.rootFields)[number]; asked: string[] }[] = [];
    for (const field of plan.rootFields) {
      if (field.kind === 'typename') continue;
      let asked: string[];
      if (field.kind === 'lookup') {
        const id = argumentValue(field.args.get('id'), variables);
        const owner = typeof id === 'string' ? id.slice(0, Math.max(0, id.indexOf(':'))) : '';
        asked = byId.has(owner) ? [owner] : [];
      } else {
        // a connection keeps the place of a member it cannot ask (skipped as incompatible): it is
        // a target, reported unavailable, never passed over
        asked = (field.kind === 'connection' ? context.registry.members : members).map((m) => m.id);
        const filter = argumentValue(field.args.get('filter'), variables) as { members?: unknown } | null | undefined;
        if (this.opts.contract.kinds.memberPushdown.has(field.name) && Array.isArray(filter?.members)) {
          const wanted = new Set(filter.members);
          asked = asked.filter((id) => wanted.has(id));
        }
      }
      targets.set(field.responseKey, new Set(asked));
      if (field.kind === 'connection') {
        connections.push({ field, asked });
        continue;
      }
      for (const id of asked) {
        let keys = perMember.get(id);
        if (!keys) perMember.set(id, (keys = new Set()));
        keys.add(field.responseKey);
      }
    }
    const [answers, pages] = await Promise.all([
      Promise.all([...perMember].map(([id, keys]) => this.ask(byId.get(id)!, subsetOperation(plan, keys), variables, operationName, context))),
      Promise.all(connections.map((c) => this.connection(plan, c.field, c.asked, byId, variables, operationName, context))),
    ]);
    const merged = mergeRootFields(plan, answers, targets, variables);
    const errors = collectErrors(answers, merged.errors) ?? [];
    for (let i = 0; i < connections.length; i++) {
      merged.data[connections[i].field.responseKey] = pages[i].data;
      errors.push(...pages[i].errors);
    }
    return { data: merged.data, errors: errors.length ? errors : undefined } as GatewayGraphQLResponse;
  }

  /** One connection root field: a page merged from the members' pages (connections/). */
  private async connection(
    plan: OperationPlan,
    field: OperationPlan['rootFields'][number],
    asked: string[],
    byId: Map<string, RegistryMember>,
    variables: Record<string, unknown>,
    operationName: string | undefined,
    context: GatewayContext,
  ): Promise<{ data: unknown; errors: SubgraphError[] }> {
    const facts = this.opts.contract.kinds.connections.get(field.name)!;
    const key = field.responseKey;
    let text = plan.subsets.get(`connection:${key}`);
    if (!text) plan.subsets.set(`connection:${key}`, (text = connectionOperation(subsetOperation(plan, new Set([key])), key)));
    const errors: SubgraphError[] = [];
    const reported = new Set<string>();
    const ask = async (member: string, first: number, after: string | null, count: boolean): Promise<PageAnswer> => {
      if (!byId.has(member)) return { unavailable: true, connection: null };
      const answer = await this.ask(byId.get(member)!, text, { ...variables, [VAR_FIRST]: first, [VAR_AFTER]: after, [VAR_COUNT]: count }, operationName, context);
      if (answer.unavailable && !reported.has(member)) {
        reported.add(member);
        errors.push(answer.unavailable);
      }
      // member errors inside the page point into the member's own edges: they are kept without a path
      for (const e of answer.errors) errors.push({ message: e.message, extensions: e.extensions });
      const connection = answer.data?.[key];
      return { unavailable: !!answer.unavailable, connection: connection && typeof connection === 'object' ? (connection as Record<string, unknown>) : null };
    };
    try {
      const page = await answerConnection({ plan, field, facts, schema: this.opts.contract.schema, variables, targets: asked, ask });
      return { data: page.data, errors: [...errors, ...page.errors] };
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      return { data: null, errors: [{ message: err.message, path: [key], extensions: err.extensions as Record<string, unknown> }] };
    }
  }

  private async entities(
    plan: OperationPlan,
    variables: Record<string, unknown>,
    operationName: string | undefined,
    members: RegistryMember[],
    context: GatewayContext,
  ): Promise<GatewayGraphQLResponse> {
    const representations = (variables.representations ?? []) as Representation[];
    const byId = new Map(members.map((m) => [m.id, m]));
    const groups = groupRepresentations(representations, (id) => byId.has(id));
    const answers = await Promise.all(
      groups.map(async (group) => {
        const answer = await this.ask(byId.get(group.member)!, plan.probedText, { ...variables, representations: group.representations }, operationName, context, group.representations);
        const entities = answer.data?._entities;
        return { group, answer, entities: Array.isArray(entities) ? entities : null, errors: answer.errors };
      }),
    );
    const assembled = assembleEntities(representations.length, answers);
    return {
      data: { _entities: assembled.entities },
      errors: collectErrors(
        answers.map((a) => a.answer),
        assembled.errors,
      ),
    } as GatewayGraphQLResponse;
  }

  /**
   * Calls one member and turns any failure into a MEMBER_UNAVAILABLE answer for that member only.
   * What the member answers is checked against the contract and the member's identity before
   * anything merges it; the member's errors are re-issued in the gateway's words.
   */
  private ask = async (
    member: RegistryMember,
    query: string,
    variables: Record<string, unknown>,
    operationName: string | undefined,
    context: GatewayContext,
    representations?: readonly Representation[],
  ): Promise<MemberAnswer & { unavailable?: SubgraphError }> => {
    const body = requestBody(query, variables, operationName, context.forwardProof);
    const result = await this.opts.call(member, body, context);
    this.opts.observe?.(member, result);
    if (result.outcome !== 'ok') {
      context.reports.push({ member: member.id, status: result.outcome, durationMs: result.durationMs, reason: result.reason });
      if (result.outcome !== 'circuit_open' && result.outcome !== 'overloaded')
        this.opts.logger.warn({ member: member.id, outcome: result.outcome, reason: result.reason, requestId: context.requestId }, 'member unavailable');
      return {
        member: member.id,
        data: null,
        errors: [],
        unavailable: { message: `Member "${member.id}" is unavailable: ${result.reason}`, extensions: { code: 'MEMBER_UNAVAILABLE', member: member.id, reason: result.outcome } },
      };
    }
    // no promise for an answer checked within one slice (almost all): hundreds per fan-out
    const pending = startAnswerCheck(result.body.data ?? null, {
      schema: this.opts.contract.schema,
      rules: this.rules,
      document: this.parsed(query),
      variables,
      sender: member.id,
      isMember: this.isMember(context.registry),
      maxListItems: this.opts.maxListItems ?? 1000,
      representations,
    });
    const checked = pending instanceof Promise ? await pending : pending;
    const reported = result.body.errors?.length ? memberErrors(result.body.errors, member.id, checked.rootIndex) : NO_ERRORS;
    let errors = checked.problems.length ? [...reported, ...checked.problems] : reported;
    if (!result.body.data && errors.length === 0) {
      errors = [{ message: `Member "${member.id}" answered neither data nor errors`, extensions: { code: INVALID_ANSWER, member: member.id } }];
    }
    const report: GatewayContext['reports'][number] = { member: member.id, status: 'ok', durationMs: result.durationMs };
    if (checked.dropped) report.dropped = checked.dropped;
    if (checked.truncated) report.truncated = checked.truncated;
    if (errors.length) report.errors = errors.length;
    const capped = cappedLists(result.body.extensions?.capped);
    if (capped) Object.assign(report, capped);
    context.reports.push(report);
    if (checked.dropped || checked.truncated) {
      this.opts.logger.warn(
        { member: member.id, dropped: checked.dropped, truncated: checked.truncated, requestId: context.requestId },
        'member answer broke the network contract or the cap; the bad part was dropped',
      );
    }
    return { member: member.id, data: checked.data, errors };
  };

  private parsed(query: string): DocumentNode {
    let document = this.sent.get(query);
    if (!document) {
      document = parse(query, { noLocation: true });
      this.sent.set(query, document);
    }
    return document;
  }

  private isMember(registry: Registry): (id: string) => boolean {
    let isMember = this.registryMembers.get(registry);
    if (!isMember) {
      const ids = new Set(registry.members.map((m) => m.id));
      this.registryMembers.set(registry, (isMember = (id) => ids.has(id)));
    }
    return isMember;
  }
}

export type AskMember = FanoutDataSource['ask'];

function collectErrors(answers: (MemberAnswer & { unavailable?: SubgraphError })[], merged: SubgraphError[]): SubgraphError[] | undefined {
  const all = [...answers.flatMap((a) => (a.unavailable ? [a.unavailable] : [])), ...merged];
  return all.length ? all : undefined;
}
