import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import type { MemberContext } from '../../context';
import type { MemberField } from '../record-kind';
import { MemberRef } from './member.type';

/**
 * What one kind contributes to the registry's `Member` (its `memberField`, e.g. `Member.services`).
 * Every such field is nullable, so one member down cannot null out a whole response, and a member
 * answers only for itself.
 *
 * The method is named after the field: type-graphql matches a field resolver to its field by
 * method name, so one shared name would answer every kind's field with the first kind's list.
 */
export function memberFieldResolver(field: MemberField): ClassType {
  const name = field.name;
  @Resolver(() => MemberRef)
  class MemberFieldResolver {
    @FieldResolver(() => [field.type], { nullable: true })
    async [name](@Root() member: MemberRef, @Ctx() ctx: MemberContext): Promise<unknown[] | null> {
      if (member.id !== ctx.member.id) return null;
      return field.list(ctx);
    }
  }
  return MemberFieldResolver;
}
