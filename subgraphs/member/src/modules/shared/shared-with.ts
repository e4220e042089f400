import { isOwnerCaller, type AccessScope } from '../../access/visibility';

/**
 * The one owner-only mask for `sharedWith`: whom a MEMBERS record is shared with is the owner's
 * business, so every other caller (even one it is shared with) gets null.
 */
export function sharedWithFor(scope: AccessScope, record: { sharedWith: string[] }): string[] | null {
  return isOwnerCaller(scope) ? record.sharedWith : null;
}
