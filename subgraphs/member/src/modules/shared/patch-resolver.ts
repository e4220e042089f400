import { GraphQLError } from 'graphql';
import { Arg, Ctx, ID, Int, Mutation, Resolver, type ClassType } from 'type-graphql';
import { requireOwnWrite } from '../../access/require-write';
import type { MemberContext } from '../../context';
import { patchInputOf } from './patch-input';
import { writeRecord, type RecordWrites, type WritableRecord } from './record-writes';
import { localIdOf } from './write-input';

/**
 * A patch applied to a stored record, in the full write's input shape. Absent fields keep their
 * value; null clears a field only where the record's field is nullable (`cleared`); lists are
 * replaced as a whole (`[]` empties one).
 */
export function applyPatch(current: Record<string, unknown>, patch: Record<string, unknown>, clearable: (field: string) => boolean): { input: Record<string, unknown>; cleared: Set<string> } {
  const input = { ...current };
  const cleared = new Set<string>();
  const refused: string[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) {
      if (clearable(field)) {
        delete input[field];
        cleared.add(field);
      } else refused.push(`${field}: cannot be cleared (leave it out to keep its value${Array.isArray(current[field]) ? ', or send [] to empty it' : ''})`);
      continue;
    }
    input[field] = value;
  }
  if (refused.length) throw new GraphQLError(`Invalid input: ${refused.join('; ')}`, { extensions: { code: 'BAD_USER_INPUT', fields: refused } });
  if (cleared.size === 0 && Object.values(patch).every((v) => v === undefined)) {
    throw new GraphQLError('Invalid input: patch: names no field to change', { extensions: { code: 'BAD_USER_INPUT', fields: ['patch: names no field to change'] } });
  }
  return { input, cleared };
}

/**
 * The partial update of a writable kind, `update<Type>(id, patch, expectedVersion)`: the stored
 * record with the patch applied goes through the kind's full write (the same checks), in the same
 * locked transaction (see `writeRecord`). Built from the kind's `RecordWrites`, naming no kind.
 */
export function patchResolverFor<R extends WritableRecord>(writes: RecordWrites<R>): ClassType {
  const { typeName } = writes;
  const Patch = patchInputOf(writes.input, `${typeName}Patch`, `The fields of ${typeName} to change: absent fields keep their value, null clears a nullable field, lists are replaced whole.`);

  @Resolver()
  class PartialUpdateResolver {
    @Mutation(() => writes.type, {
      name: `update${typeName}`,
      description: `Changes some fields of one of your ${typeName} records (write scope), with the same checks as the full write. Send \`expectedVersion\` (the \`version\` you read): a record changed since answers CONFLICT with \`extensions.currentVersion\`.`,
    })
    async update(
      @Ctx() ctx: MemberContext,
      @Arg('id', () => ID) id: string,
      @Arg('patch', () => Patch) patch: Record<string, unknown>,
      @Arg('expectedVersion', () => Int, { nullable: true, description: 'The version this change is based on; without it the patch applies to whatever is stored.' })
      expectedVersion?: number | null,
    ): Promise<object> {
      requireOwnWrite(ctx);
      if (localIdOf(id, ctx.member.id) === undefined) throw new GraphQLError('That id belongs to another member', { extensions: { code: 'FORBIDDEN' } });
      const nullable = ctx.em.getMetadata().find(writes.entity)?.properties as Record<string, { nullable?: boolean }> | undefined;
      return writeRecord(
        ctx,
        writes,
        id,
        (existing) => {
          if (!existing) throw new GraphQLError(`No ${typeName} "${id}" to update`, { extensions: { code: 'NOT_FOUND' } });
          return applyPatch(writes.toInput(existing), { ...patch }, (field) => nullable?.[field]?.nullable === true);
        },
        expectedVersion,
      );
    }
  }
  return PartialUpdateResolver;
}
