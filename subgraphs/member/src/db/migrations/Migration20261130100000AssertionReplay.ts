import { Migration } from '@mikro-orm/migrations';

/**
 * The assertion ids (`iss:jti`) this member has accepted, until they expire: shared by every
 * process of the member that uses this database, so a captured assertion works once across all
 * of them. UNLOGGED: no write-ahead log for rows that live a minute (a crash empties the table,
 * and every assertion it held has expired by the time the server is back).
 */
export class Migration20261130100000AssertionReplay extends Migration {
  async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`create unlogged table ${s}."assertion_replay" ("id" text primary key, "expires_at" timestamptz not null)`);
    this.addSql(`create index "assertion_replay_expires_at_idx" on ${s}."assertion_replay" ("expires_at")`);
  }

  async down(): Promise<void> {
    this.addSql(`drop table if exists "${this.config.get('schema')}"."assertion_replay"`);
  }
}
