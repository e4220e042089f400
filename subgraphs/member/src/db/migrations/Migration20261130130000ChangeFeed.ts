import { Migration } from '@mikro-orm/migrations';
import { changeLogSql, trackChangesSql } from '../change-tracking';

/**
 * Server-set `created_at`/`updated_at` on every record table, and the change log behind the
 * `changes` feed (see db/change-tracking.ts). A kind added later calls `trackChangesSql` in its
 * own migration.
 */
export class Migration20261130130000ChangeFeed extends Migration {
  async up(): Promise<void> {
    const schema = this.config.get('schema') as string;
    for (const sql of changeLogSql(schema)) this.addSql(sql);
    const tables: [table: string, kind: string, idColumn: string, hasUpdatedAt: boolean][] = [
      ['service', 'SERVICE', 'id', true],
      ['capacity', 'CAPACITY', 'id', false],
      ['project', 'PROJECT', 'id', true],
      ['incident', 'INCIDENT', 'id', true],
      ['support_offer', 'SUPPORT_OFFER', 'id', true],
      ['support_need', 'SUPPORT_NEED', 'id', true],
      ['participation', 'PARTICIPATION', 'project_id', false],
      ['training', 'TRAINING', 'id', true],
    ];
    for (const [table, kind, idColumn, hasUpdatedAt] of tables) for (const sql of trackChangesSql(schema, table, kind, idColumn, hasUpdatedAt)) this.addSql(sql);
  }

  async down(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    for (const table of ['service', 'capacity', 'project', 'incident', 'support_offer', 'support_need', 'participation', 'training']) {
      this.addSql(`drop trigger if exists "${table}_record_change" on ${s}."${table}"`);
      this.addSql(`alter table ${s}."${table}" drop column if exists "created_at"`);
    }
    this.addSql(`alter table ${s}."capacity" drop column if exists "updated_at"`);
    this.addSql(`alter table ${s}."participation" drop column if exists "updated_at"`);
    this.addSql(`drop function if exists ${s}."infrared_record_change"()`);
    this.addSql(`drop table if exists ${s}."change_feed_state"`);
    this.addSql(`drop table if exists ${s}."record_change"`);
  }
}
