import { LockMode, OptimisticLockError, type EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import type { ClassType } from 'type-graphql';
import type { ErrorCode } from '../../../../../common/errors';
import { requireOwnWrite } from '../../access/require-write';
import type { AccessScope } from '../../access/visibility';
import type { MemberContext } from '../../context';
import type { SharedRecord } from './shared-record.entity';
import { localIdOf } from './write-input';

/** A stored record that can be written through the API: it has a local `id` and the shared base. */
export type WritableRecord = SharedRecord & { id: string };

/**
 * How a kind is written through the API, for the full write (`reportIncident`, `upsertService`, …)
 * and the generic partial update (`updateIncident(id, patch, expectedVersion)`), which share every
 * check: scopes, the kind's validation and normalisation, visibility rules.
 */
export interface RecordWrites<R extends WritableRecord = WritableRecord> {
  /** The GraphQL type name: the partial update is `update<typeName>`, its input `<typeName>Patch`. */
  readonly typeName: string;
  /** The GraphQL type the writes answer with. */
  readonly type: ClassType;
  /** The full write's input class: the patch has the same fields (but `id`), every one optional. */
  readonly input: ClassType;
  readonly entity: EntityClass<R>;
  /** The stored record in the full write's input shape: what a client would send to write it again unchanged. */
  toInput(record: R): Record<string, unknown>;
  /**
   * The full write onto `existing` (or a new record), inside the caller's transaction: validates
   * and normalises `input` (GraphQL input: null means "not given") with the kind's rules.
   * `cleared` names the nullable fields a patch set to null.
   */
  write(ctx: MemberContext, em: EntityManager, input: Record<string, unknown>, existing: R | null, cleared: ReadonlySet<string>): Promise<R>;
  toType(record: R, scope: AccessScope): object;
}

/** The member error for a write that lost a race or named an old version: the client reads the record again. */
export function conflictError(typeName: string, id: string, currentVersion: number | null): GraphQLError {
  const code: ErrorCode = 'CONFLICT';
  const message =
    currentVersion === null
      ? `${typeName} "${id}" was changed or removed by another write; read it again and retry`
      : `${typeName} "${id}" is at version ${currentVersion}: it changed since you read it; read it again and retry`;
  return new GraphQLError(message, { extensions: { code, currentVersion } });
}

/**
 * Writes one record of a kind through the API, the one path of full writes and patches: the
 * owner's write check, then in one transaction the row locked (`SELECT … FOR UPDATE`, so
 * concurrent writes to one record run one after the other and each builds on the last), the
 * `expectedVersion` check, the kind's write, and `source = API`. The UPDATE is also conditional on
 * the version read (MikroORM's version property), so a write that raced an import fails with
 * CONFLICT instead of overwriting it.
 */
export async function writeRecord<R extends WritableRecord>(
  ctx: MemberContext,
  writes: RecordWrites<R>,
  rawId: string,
  build: (existing: R | null) => { input: Record<string, unknown>; cleared?: ReadonlySet<string> },
  expectedVersion?: number | null,
): Promise<object> {
  requireOwnWrite(ctx);
  // another member's prefix names no record here: the kind's validation refuses that id (a full
  // write) or there is nothing to patch
  const id = localIdOf(rawId, ctx.member.id);
  if (expectedVersion !== undefined && expectedVersion !== null && expectedVersion < 1) {
    throw new GraphQLError('Invalid input: expectedVersion: must be 1 or more', { extensions: { code: 'BAD_USER_INPUT', fields: ['expectedVersion: must be 1 or more'] } });
  }
  const em = ctx.em.fork({ clear: true });
  try {
    const row = await em.transactional(async (tx) => {
      const existing = id === undefined ? null : ((await tx.findOne(writes.entity, { id } as never, { lockMode: LockMode.PESSIMISTIC_WRITE })) as R | null);
      const { input, cleared = new Set<string>() } = build(existing);
      if (expectedVersion !== undefined && expectedVersion !== null && existing?.version !== expectedVersion) {
        throw conflictError(writes.typeName, rawId, existing?.version ?? null);
      }
      const record = await writes.write(ctx, tx, { id, ...input }, existing, cleared);
      record.source = 'API';
      await tx.flush();
      return record;
    });
    return writes.toType(row, ctx.scope);
  } catch (err) {
    if (err instanceof OptimisticLockError) {
      const current = id === undefined ? null : ((await ctx.em.fork({ clear: true }).findOne(writes.entity, { id } as never)) as R | null);
      throw conflictError(writes.typeName, rawId, current?.version ?? null);
    }
    throw err;
  }
}

/** The full write (replace): the input is the whole record; fields it leaves out take their defaults. */
export function replaceRecord<R extends WritableRecord>(ctx: MemberContext, writes: RecordWrites<R>, input: { id: string }, expectedVersion?: number | null): Promise<object> {
  return writeRecord(ctx, writes, String(input.id), () => ({ input: { ...input } }), expectedVersion);
}
