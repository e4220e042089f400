import type { MemberReport } from '../context';

/**
 * Whether an answer is complete enough to cache (response cache, public index): every member
 * asked answered, with no error, no dropped record and no cut list. Members left out because
 * their schema is incompatible (`skipped`) are a standing registry-level fact, not a gap.
 *
 * @example
 * isCompleteAnswer([{ member: 'alpha', status: 'ok', durationMs: 3 }]) // true
 * isCompleteAnswer([{ member: 'alpha', status: 'ok', durationMs: 3, dropped: 1 }]) // false
 */
export function isCompleteAnswer(reports: readonly MemberReport[] | undefined): boolean {
  if (!reports) return false;
  return reports.every((r) => (r.status === 'ok' || r.status === 'skipped') && !r.dropped && !r.truncated && !r.errors);
}
