import type { SupportKind } from '../../../../../schema/enums';

/** What the support list arguments select: open ones unless `includeClosed`, of one kind when given. */
export function supportWhere(kind?: SupportKind | null, includeClosed?: boolean | null): Record<string, unknown>[] {
  const where: Record<string, unknown> = {};
  if (kind) where.kind = kind;
  if (!includeClosed) where.open = true;
  return [where];
}
