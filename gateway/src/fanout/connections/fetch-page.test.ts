import fc from 'fast-check';
import { fetchPage, PROBE_CURSOR, PROBE_EDGES, PROBE_PAGE, PROBE_TOTAL, type AskPage, type PageAnswer } from './fetch-page';
import { decodeWalkCursor, encodeWalkCursor, startState, type WalkState } from '../../../../common/connections/walk-cursor';
import { walkStates } from './walk-states';

const FIELD = 'servicesConnection';
const cursorOf = (id: string) => Buffer.from(JSON.stringify([id])).toString('base64url');
const idOf = (cursor: string) => (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as string[])[0];

/** An honest member's connection answer over its current records (sorted by code point). */
function honest(records: readonly string[], first: number, after: string | null, count: boolean): PageAnswer {
  const sorted = [...records].sort();
  const from = after === null ? sorted : sorted.filter((id) => id > idOf(after));
  const page = from.slice(0, first);
  return answer(
    page.map((id) => cursorOf(id)),
    from.length > first,
    count ? sorted.length : undefined,
  );
}

function answer(cursors: string[], hasNextPage: boolean, total?: number, nodes?: unknown[]): PageAnswer {
  const connection: Record<string, unknown> = {
    edges: nodes ?? cursors.map((c) => ({ node: { id: idOf(c) } })),
    [PROBE_EDGES]: cursors.map((c) => ({ [PROBE_CURSOR]: c })),
    [PROBE_PAGE]: { hasNextPage },
  };
  if (total !== undefined) connection[PROBE_TOTAL] = total;
  return { connection, unavailable: false };
}

/** Runs one page and returns the ids taken (member:local), the next cursor and the page. */
async function onePage(state: WalkState, members: Record<string, AskPage | string[]>, first: number, count = true) {
  const ask: AskPage = async (member, n, after, c) => {
    const m = members[member];
    return typeof m === 'function' ? m(member, n, after, c) : honest(m, n, after, c);
  };
  const fetched = await fetchPage({ state, targets: Object.keys(members), first, count, edgeKeys: ['edges'], ask });
  const ids = fetched.visits.flatMap((v) => (v.page?.cursors.slice(0, v.taken) ?? []).map((c) => `${v.member}:${idOf(c)}`));
  const states = walkStates(state, fetched.visits);
  return { fetched, ids, next: decodeWalkCursor(FIELD, encodeWalkCursor(states.end)), edgeStates: states.edges };
}

describe('fetchPage: a stable merge of the members pages', () => {
  it('takes members in id order, each from its own position, and asks later members only when the first runs out', async () => {
    const asked: string[] = [];
    const spy =
      (records: string[]): AskPage =>
      async (member, n, after, count) => {
        asked.push(`${member}:${n}`);
        return honest(records, n, after, count);
      };
    const page = await onePage(startState(FIELD), { b: spy(['x', 'y']), a: spy(['p', 'q', 'r']), c: spy(['z']) }, 2, false);
    expect(page.ids).toEqual(['a:p', 'a:q']);
    expect(asked).toEqual(['a:2']); // one member call for a page the first member fills
    const next = await onePage(page.next, { a: ['p', 'q', 'r'], b: ['x', 'y'], c: ['z'] }, 4);
    expect(next.ids).toEqual(['a:r', 'b:x', 'b:y', 'c:z']);
    expect(next.fetched.hasNextPage).toBe(false);
    expect(next.fetched.totalCount).toBe(6);
  });

  it('gives each edge a cursor that continues right after it', async () => {
    const members = { a: ['1', '2'], b: ['3', '4', '5'] };
    const page = await onePage(startState(FIELD), members, 4);
    const fromSecond = await onePage(page.edgeStates[1], members, 10);
    expect(fromSecond.ids).toEqual(['b:3', 'b:4', 'b:5']);
    const fromThird = await onePage(page.edgeStates[2], members, 10);
    expect(fromThird.ids).toEqual(['b:4', 'b:5']);
  });

  it('keeps an unavailable member in place, reports it, and goes on with the next ones', async () => {
    let down = true;
    const flaky: AskPage = async (_m, n, after, c) => (down ? { connection: null, unavailable: true } : honest(['k1', 'k2'], n, after, c));
    const page = await onePage(startState(FIELD), { a: ['1'], b: flaky, c: ['9'] }, 5);
    expect(page.ids).toEqual(['a:1', 'c:9']);
    expect(page.fetched.unavailable).toEqual(['b']);
    expect(page.fetched.hasNextPage).toBe(false);
    expect(page.next.pending.get('b')).toBeNull();
    down = false;
    const later = await onePage(page.next, { a: ['1'], b: flaky, c: ['9'] }, 5);
    expect(later.ids).toEqual(['b:k1', 'b:k2']);
    expect(later.fetched.unavailable).toEqual([]);
  });

  const hostile: [string, AskPage, string][] = [
    ['unsorted edges', async () => answer([cursorOf('b'), cursorOf('a')], false, 2), 'out of order'],
    ['edges before the position asked', async (_m, n, after) => answer(n === 0 ? [] : after ? [cursorOf('a')] : [cursorOf('m')], true, 2), 'before the position'],
    [
      'more edges than asked',
      async (_m, n) =>
        answer(
          Array.from({ length: n + 3 }, (_, i) => cursorOf(`r${String(i).padStart(3, '0')}`)),
          false,
          n + 3,
        ),
      'more edges than were asked',
    ],
    ['cursors that are not cursors', async (_m, n) => answer(n === 0 ? [] : ['not a cursor!'], true, 1, n === 0 ? [] : [{ node: { id: 'liar:x' } }]), 'out of order'],
    [
      'a negative totalCount',
      async (_m, n, after, c) => ({ ...honest(['a'], n, after, false), connection: { ...honest(['a'], n, after, false).connection, [PROBE_TOTAL]: c ? -1 : undefined } }),
      'totalCount outside',
    ],
    [
      'a totalCount of 10^12',
      async (_m, n, after, c) => ({ ...honest(['a'], n, after, false), connection: { ...honest(['a'], n, after, false).connection, [PROBE_TOTAL]: c ? 1e12 : undefined } }),
      'totalCount outside',
    ],
    ['edges lists that disagree', async () => answer([cursorOf('a'), cursorOf('b')], false, 2, [{ node: { id: 'a' } }]), 'disagree'],
    ['no page at all (the answer check dropped it)', async () => ({ connection: null, unavailable: false }), 'no usable page'],
  ];
  it.each(hostile)('does not let a member with %s corrupt the merge', async (_name, liar, problem) => {
    const first = await onePage(startState(FIELD), { a: ['1', '2'], liar, z: ['8', '9'] }, 3);
    const second = await onePage(first.next, { a: ['1', '2'], liar, z: ['8', '9'] }, 3);
    const all = [...first.ids, ...second.ids];
    // the honest members' records all come, once each, in order; the count is theirs (and the liar's when sane)
    expect(all.filter((id) => !id.startsWith('liar:'))).toEqual(['a:1', 'a:2', 'z:8', 'z:9']);
    expect(new Set(all).size).toBe(all.length);
    expect([...first.fetched.problems, ...second.fetched.problems].map((p) => p.message).join('\n')).toMatch(problem);
    expect(first.fetched.totalCount).toBeGreaterThanOrEqual(4);
    expect(first.fetched.totalCount).toBeLessThan(1000);
  });

  it('has no duplicates and no gaps when members change between pages (property)', async () => {
    const members = ['m1', 'm2', 'm3', 'm4'];
    const op = fc.record({ member: fc.constantFrom(...members), id: fc.stringMatching(/^[a-z0-9]{1,3}$/), add: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...members), fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,3}$/), { maxLength: 12 })),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(op, { maxLength: 4 }), { maxLength: 30 }),
        async (initial, first, changes) => {
          const data: Record<string, Set<string>> = Object.fromEntries(members.map((m) => [m, new Set(initial[m] ?? [])]));
          const atStart = new Set(members.flatMap((m) => [...data[m]].map((id) => `${m}:${id}`)));
          const everRemoved = new Set<string>();
          let state = startState(FIELD);
          const seen: string[] = [];
          for (let pageNo = 0; pageNo < 200; pageNo++) {
            const page = await onePage(state, Object.fromEntries(members.map((m) => [m, [...data[m]]])), first);
            seen.push(...page.ids);
            if (!page.fetched.hasNextPage) break;
            state = page.next;
            for (const c of changes[pageNo] ?? []) {
              if (c.add) data[c.member].add(c.id);
              else if (data[c.member].delete(c.id)) everRemoved.add(`${c.member}:${c.id}`);
            }
          }
          expect(new Set(seen).size).toBe(seen.length);
          for (const id of atStart) if (!everRemoved.has(id)) expect(seen).toContain(id);
          const order = seen.map((id) => id.split(':')[0]);
          expect(order).toEqual([...order].sort());
        },
      ),
      { numRuns: 150 },
    );
  });
});
