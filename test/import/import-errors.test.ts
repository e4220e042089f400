/**
 * A database refusal during an import is reported with the kind of refusal and the constraint,
 * table or column at most: never the SQL statement, never a data value (the driver's message holds
 * the whole INSERT, every value of the batch). Nothing is written.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { ImportDatabaseError, importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { describeDatabaseError } from '../../subgraphs/member/src/import/import-errors';
import { databaseUrl, quietLogger, uniqueSchema } from '../support/network';

const MEMBER = 'ana';
const SECRET = 'Shelter at Rruga e Kavajës 14, door code 4471';

const service = (id: string, name: string) => ({ id, name, description: { en: `About ${name}` }, kind: 'EMAIL', status: 'OPERATIONAL', acceptingUsers: true, visibility: 'OWNER' });

describe('import errors: no SQL, no data values', () => {
  const schema = uniqueSchema(MEMBER);
  let orm: MikroORM;
  const sql = (text: string) => orm.em.getConnection().execute(text);

  beforeAll(async () => {
    orm = await openDatabase({ url: databaseUrl(), schema, poolMax: 2 }, quietLogger());
    await importMemberData(orm, MEMBER, { member: MEMBER, services: [service('kept', 'Kept')] } as never);
  });
  afterAll(() => orm?.close(true));

  const expectClean = (err: unknown) => {
    expect(err).toBeInstanceOf(ImportDatabaseError);
    const message = (err as Error).message;
    for (const leak of [SECRET, 'Kavaj', '4471', 'insert', 'values', 'select', schema]) expect(message.toLowerCase()).not.toContain(leak.toLowerCase());
    expect(message.length).toBeLessThan(300);
    return message;
  };

  it('names the check constraint and table a row broke', async () => {
    await sql(`alter table "${schema}"."service" add constraint no_addresses check (name not like '%Rruga%')`);
    try {
      const err = await importMemberData(orm, MEMBER, { member: MEMBER, services: [service('kept', 'Kept'), service('shelter', SECRET)] } as never).catch((e: unknown) => e);
      expect(expectClean(err)).toBe('the import was rolled back, nothing was written: a value breaks a rule of the database (constraint "no_addresses" on table "service")');
      expect((err as ImportDatabaseError).code).toBe('IMPORT_FAILED');
    } finally {
      await sql(`alter table "${schema}"."service" drop constraint no_addresses`);
    }
  });

  it('names the unique constraint a row conflicts with', async () => {
    await sql(`create unique index one_name on "${schema}"."service" (name)`);
    try {
      const err = await importMemberData(orm, MEMBER, { member: MEMBER, services: [service('kept', 'Kept'), service('a', SECRET), service('b', SECRET)] } as never).catch((e: unknown) => e);
      expect(expectClean(err)).toMatch(/^the import was rolled back, nothing was written: a record conflicts with one already stored \(constraint "one_name"( on table "service")?\)$/);
    } finally {
      await sql(`drop index "${schema}".one_name`);
    }
    const names = await orm.em.getConnection().execute<{ name: string }[]>(`select name from "${schema}"."service"`);
    expect(names.map((r) => r.name)).toEqual(['Kept']);
  });

  it('keeps only identifiers from the driver, never what looks like data', () => {
    const driverError = Object.assign(new Error(`insert into "x"."service" ("name") values ('${SECRET}') - duplicate key value violates unique constraint "service_pkey"`), {
      code: '23505',
      constraint: 'service_pkey',
      table: 'service',
      detail: `Key (id)=(${SECRET}) already exists.`,
    });
    expect(describeDatabaseError(driverError).message).toBe(
      'the import was rolled back, nothing was written: a record conflicts with one already stored (constraint "service_pkey" on table "service")',
    );
    const odd = Object.assign(new Error('boom'), { code: '23502', column: `${SECRET}`, table: 'service' });
    expect(describeDatabaseError(odd).message).toBe('the import was rolled back, nothing was written: a required value is missing (table "service")');
    expect(describeDatabaseError(Object.assign(new Error(`select '${SECRET}' - Query read timeout`), {})).message).toBe(
      'the import was rolled back, nothing was written: the database is unavailable or does not answer',
    );
    expect(describeDatabaseError(Object.assign(new Error(SECRET), { code: 'XX000' })).message).toBe('the import was rolled back, nothing was written: the database refused it (SQLSTATE XX000)');
  });
});
