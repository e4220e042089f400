/**
 * The change feed at one member (issue 17): timestamps and tombstones for every kind, and THE
 * property: a bot that starts from nothing and applies every change it is given ends with exactly
 * the records it may see, whatever the owner created, edited, narrowed, widened or deleted in
 * between, for every kind of caller; nothing about a record it never could see reaches it.
 * Writes go through `member import --prune` (every kind, generically) and the API; reads call the
 * feed in-process, on the real database, so the property can run many sequences.
 */
import fc from 'fast-check';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Caller } from '../../common/caller';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { RECORD_KINDS } from '../../subgraphs/member/src/modules';
import { readChanges } from '../../subgraphs/member/src/changes/read-changes';
import { TombstonePurge } from '../../subgraphs/member/src/changes/tombstone-purge';
import { CHANGE_TRIGGER_FUNCTION } from '../../subgraphs/member/src/db/change-tracking';
import { databaseUrl, quietLogger, uniqueSchema } from '../support/network';
import { ALL_FEED_KINDS, applyStep, Bot, dataFile, globalIdOf, KIND_FIXTURES, mayCallerSee, stepArbitrary, type ModelRecord, type Step } from './feed-model';

const OWNER = 'alpha';
const CALLERS: Record<string, Caller> = {
  anonymous: { anonymous: true, scopes: [] },
  gamma: { anonymous: false, member: 'gamma', subject: 'g', scopes: ['read'] },
  beta: { anonymous: false, member: 'beta', subject: 'b', scopes: ['read'] },
  alpha: { anonymous: false, member: OWNER, subject: 'a', scopes: ['read'] },
};
const WHO = Object.keys(CALLERS);
const scopeOf = (who: string) => ({ owner: OWNER, caller: CALLERS[who] });

let orm: MikroORM;
beforeAll(async () => {
  orm = await openDatabase({ url: databaseUrl(), schema: uniqueSchema('feed'), poolMax: 3 }, quietLogger());
});
afterAll(() => orm?.close(true));

const read = (who: string, since: string | null, first = 100, kinds?: string[]) => readChanges(orm.em.fork(), scopeOf(who), { since, first, kinds });

async function drain(bot: Bot, who: string, first = 100): Promise<void> {
  for (let page = 0; page < 10_000; page++) {
    const p = await read(who, bot.cursor, first);
    bot.apply(p.changes as never);
    bot.cursor = p.cursor;
    if (!p.hasMore) return;
  }
  throw new Error('the feed never ended');
}

const schema = () => orm.config.get('schema') as string;
const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params, 'all');

describe('every kind is tracked', () => {
  it('every kind in RECORD_KINDS has a feed value, a test fixture and the change trigger on each of its tables', async () => {
    expect(RECORD_KINDS.length).toBeGreaterThanOrEqual(7);
    for (const kind of RECORD_KINDS) {
      expect([kind.name, KIND_FIXTURES[kind.feed.kind] !== undefined]).toEqual([kind.name, true]);
      for (const entity of kind.entities) {
        const table = orm.getMetadata().get((entity as { name: string }).name).tableName;
        const triggers = await sql(
          `select t.tgname from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace join pg_proc p on p.oid = t.tgfoid where n.nspname = ? and c.relname = ? and p.proname = ?`,
          [schema(), table, CHANGE_TRIGGER_FUNCTION],
        );
        expect([table, triggers.length]).toEqual([table, 1]);
      }
    }
  });
});

describe('server-set timestamps', () => {
  it('createdAt is set once by the database; updatedAt moves on a real change only, never on an identical re-import', async () => {
    const r: ModelRecord = { kind: 'SERVICE', local: 'ts-1', level: 'PUBLIC', sharedWith: [], version: 1 };
    await importMemberData(orm, OWNER, dataFile(OWNER, [r]) as never, { prune: true });
    const [first] = await sql(`select created_at, updated_at from "${schema()}"."service" where id = 'ts-1'`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await importMemberData(orm, OWNER, dataFile(OWNER, [r]) as never, { prune: true });
    const [same] = await sql(`select created_at, updated_at from "${schema()}"."service" where id = 'ts-1'`);
    expect([new Date(same.created_at).getTime(), new Date(same.updated_at).getTime()]).toEqual([new Date(first.created_at).getTime(), new Date(first.updated_at).getTime()]);
    r.version = 2;
    await importMemberData(orm, OWNER, dataFile(OWNER, [r]) as never, { prune: true });
    const [changed] = await sql(`select created_at, updated_at from "${schema()}"."service" where id = 'ts-1'`);
    expect(new Date(changed.created_at).getTime()).toBe(new Date(first.created_at).getTime());
    expect(new Date(changed.updated_at).getTime()).toBeGreaterThan(new Date(first.updated_at).getTime());
  });

  it('a writer cannot set them: a forged created_at/updated_at in SQL is replaced by the database’s time', async () => {
    await sql(`update "${schema()}"."service" set name = 'forged', created_at = '2001-01-01', updated_at = '2001-01-01' where id = 'ts-1'`);
    const [row] = await sql(`select created_at, updated_at from "${schema()}"."service" where id = 'ts-1'`);
    expect(new Date(row.created_at).getFullYear()).toBeGreaterThan(2001);
    expect(new Date(row.updated_at).getFullYear()).toBeGreaterThan(2001);
  });

  it('the data file cannot carry them (the file schema refuses the fields)', async () => {
    const file = dataFile(OWNER, []) as Record<string, any>;
    file.services = [{ ...KIND_FIXTURES.SERVICE.row({ kind: 'SERVICE', local: 'ts-2', level: 'PUBLIC', sharedWith: [], version: 1 }), createdAt: '2001-01-01T00:00:00Z' }];
    await expect(importMemberData(orm, OWNER, file as never)).rejects.toThrow(/createdAt/);
  });
});

describe('the change feed property', () => {
  const kinds = ALL_FEED_KINDS();

  it('a bot that applies every change ends with exactly the records it may see, for every caller; nothing about a never-visible record reaches it', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArbitrary(kinds, ['beta', 'gamma'], WHO.length), { minLength: 4, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: WHO.length, maxLength: WHO.length }),
        async (steps, starts) => {
          run++;
          const records = new Map<number, ModelRecord>();
          const counter = { n: 0 };
          // what each caller could see at some point, by global id (a REMOVE may only name those)
          const everVisible = new Map(WHO.map((w) => [w, new Set<string>()]));
          const note = () => {
            for (const r of records.values()) for (const w of WHO) if (mayCallerSee(OWNER, r, w)) everVisible.get(w)!.add(globalIdOf(OWNER, r));
          };
          await importMemberData(orm, OWNER, dataFile(OWNER, []) as never, { prune: true });
          const bots = WHO.map(() => new Bot());
          const started = WHO.map(() => false);
          for (const [index, step] of steps.entries()) {
            for (const [b, at] of starts.entries()) if (at === index) started[b] = true;
            if (step.op === 'poll') {
              if (!started[step.bot]) continue;
              const bot = bots[step.bot];
              const page = await read(WHO[step.bot], bot.cursor, step.first);
              bot.apply(page.changes as never);
              bot.cursor = page.cursor;
              continue;
            }
            if (applyStep(records, step as Exclude<Step, { op: 'poll' }>, String(run), counter)) {
              await importMemberData(orm, OWNER, dataFile(OWNER, records.values()) as never, { prune: true });
              note();
            }
          }
          for (const [b, who] of WHO.entries()) {
            const bot = bots[b];
            await drain(bot, who, 3);
            const expected = new Map([...records.values()].filter((r) => mayCallerSee(OWNER, r, who)).map((r) => [globalIdOf(OWNER, r), r.version]));
            expect([who, Object.fromEntries([...bot.state].sort())]).toEqual([who, Object.fromEntries([...expected].sort())]);
            for (const id of bot.heard) if (id.includes(`r${run}-`)) expect([who, id, everVisible.get(who)!.has(id)]).toEqual([who, id, true]);
          }
        },
      ),
      { numRuns: Number(process.env.FEED_PROPERTY_RUNS ?? 25), endOnFailure: true },
    );
  }, 240_000);
});

describe('cursors', () => {
  it('a cursor is opaque and belongs to its caller class; a forged or foreign one is INVALID_CURSOR', async () => {
    const page = await read('beta', null);
    // sealed: nothing readable inside (no sequence number counting others' changes)
    expect(Buffer.from(page.cursor.slice(3), 'base64url').toString('latin1')).not.toMatch(/"[sch]"/);
    await expect(read('gamma', page.cursor)).rejects.toMatchObject({ extensions: { code: 'INVALID_CURSOR' } });
    await expect(read('beta', page.cursor.slice(0, -2) + (page.cursor.endsWith('AA') ? 'BB' : 'AA'))).rejects.toMatchObject({ extensions: { code: 'INVALID_CURSOR' } });
    await expect(read('beta', 'c1.eyJzIjo1LCJjIjoibWVtYmVyOmJldGEifQ')).rejects.toMatchObject({ extensions: { code: 'INVALID_CURSOR' } });
  });

  it('a cursor older than the retention fails with CURSOR_EXPIRED (removals are never silently lost); a fresh start works', async () => {
    const bot = new Bot();
    await drain(bot, 'alpha');
    const stale = bot.cursor!;
    const r: ModelRecord = { kind: 'INCIDENT', local: 'exp-1', level: 'PUBLIC', sharedWith: [], version: 1 };
    await importMemberData(orm, OWNER, dataFile(OWNER, [r]) as never, { prune: true });
    await importMemberData(orm, OWNER, dataFile(OWNER, []) as never, { prune: true });
    const purge = new TombstonePurge(orm, quietLogger(), 30, 3_600_000);
    try {
      expect(await purge.purge(new Date(Date.now() + 31 * 86_400_000))).toBeGreaterThan(0);
    } finally {
      purge.stop();
    }
    await expect(read('alpha', stale)).rejects.toMatchObject({ extensions: { code: 'CURSOR_EXPIRED' } });
    const fresh = new Bot();
    await drain(fresh, 'alpha');
    expect(fresh.state.size).toBe(0);
  });

  it('kinds narrows the feed to the kinds asked for', async () => {
    const records: ModelRecord[] = [
      { kind: 'INCIDENT', local: 'k-1', level: 'PUBLIC', sharedWith: [], version: 1 },
      { kind: 'SERVICE', local: 'k-2', level: 'PUBLIC', sharedWith: [], version: 1 },
    ];
    const start = await read('anonymous', null, 100, ['INCIDENT']);
    await importMemberData(orm, OWNER, dataFile(OWNER, records) as never, { prune: true });
    const page = await read('anonymous', start.cursor, 100, ['INCIDENT']);
    expect(page.changes.map((c) => [c.kind, c.id, c.operation, c.severity])).toEqual([['INCIDENT', 'alpha:k-1', 'UPSERT', 'HIGH']]);
  });
});
