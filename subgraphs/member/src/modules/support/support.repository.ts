import type { EntityManager } from '@mikro-orm/postgresql';
import type { SupportKind } from '../../../../../schema/enums';
import { findVisible } from '../../access/find-visible';
import type { AccessScope } from '../../access/visibility';
import { MAX_LIST } from '../shared/list-limit';
import type { SupportNeedRecord, SupportOfferRecord } from './support.entity';

export type SupportEntity = typeof SupportOfferRecord | typeof SupportNeedRecord;

/** The offers or needs the caller may see: open ones unless `includeClosed`, in local id order. */
export function listSupport(em: EntityManager, scope: AccessScope, entity: SupportEntity, kind?: SupportKind | null, includeClosed?: boolean | null) {
  const where: Record<string, unknown> = {};
  if (kind) where.kind = kind;
  if (!includeClosed) where.open = true;
  return findVisible(em, entity as typeof SupportOfferRecord, scope, where, { orderBy: { id: 'asc' }, limit: MAX_LIST });
}
