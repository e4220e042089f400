import type { Visit } from './fetch-page';
import type { WalkState } from '../../../../common/connections/walk-cursor';

/**
 * The walk state after each edge taken into a page, and after the whole page: members finished
 * on this page leave `pending`, a member read partly keeps the cursor of its last edge taken,
 * and a member that was unavailable (or broke the contract) keeps the position it had.
 */
export function walkStates(start: WalkState, visits: readonly Visit[]): { edges: WalkState[]; end: WalkState } {
  let done = start.done;
  let pending = new Map(start.pending);
  const edges: WalkState[] = [];
  for (const v of visits) {
    if (!v.page) {
      if (v.from === 'new') {
        pending.set(v.member, null);
        done = v.member;
      }
      continue;
    }
    for (let j = 0; j < v.taken; j++) {
      const at = new Map(pending);
      at.set(v.member, v.page.cursors[j]);
      edges.push({ field: start.field, done: v.from === 'new' ? v.member : done, pending: at });
    }
    const finished = v.taken === v.page.cursors.length && !v.page.hasMore;
    pending = new Map(pending);
    if (finished) pending.delete(v.member);
    else pending.set(v.member, v.taken > 0 ? v.page.cursors[v.taken - 1] : v.position);
    if (v.from === 'new') done = v.member;
  }
  return { edges, end: { field: start.field, done, pending } };
}
