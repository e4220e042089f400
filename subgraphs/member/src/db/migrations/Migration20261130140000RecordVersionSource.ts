import { Migration } from '@mikro-orm/migrations';

/**
 * Every shared record gets a version (optimistic concurrency: raised by one on each change) and a
 * source (`FILE`: written by `member import`; `API`: written by a mutation). Records that existed
 * before are marked API: their origin is unknown, and `member import --prune` then keeps them
 * (no data is lost; the next import of a file that lists them marks those FILE again).
 */
export const VERSIONED_TABLES = ['service', 'capacity', 'project', 'incident', 'support_offer', 'support_need', 'participation', 'training'];

export class Migration20261130140000RecordVersionSource extends Migration {
  async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    for (const table of VERSIONED_TABLES) {
      this.addSql(
        `alter table ${s}."${table}" add column "version" integer not null default 1 check ("version" > 0), add column "source" text not null default 'API' check ("source" in ('FILE','API'))`,
      );
    }
  }

  async down(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    for (const table of VERSIONED_TABLES) this.addSql(`alter table ${s}."${table}" drop column "version", drop column "source"`);
  }
}
