import type { EntityName } from '@mikro-orm/core';
import { parseGlobalId } from '../../../../../common/ids';
import type { MemberContext } from '../../context';

/**
 * One record by global id, through the request's batch loader (and so through `findVisible`):
 * null when the id is another member's, missing or hidden.
 */
export async function loadByGlobalId<T extends { id: string }>(ctx: MemberContext, entity: EntityName<T>, id: string): Promise<T | null> {
  const parsed = parseGlobalId(id);
  if (!parsed || parsed.memberId !== ctx.member.id) return null;
  return ctx.loaders.byId(entity).load(parsed.localId);
}
