import type { EventArgs, EventSubscriber } from '@mikro-orm/core';
import { SharedRecord } from './shared-record.entity';

/**
 * Reads a record's timestamps back from the database once it is written: the database sets them
 * (db/change-tracking.ts) and the ORM never writes them, so a write's answer carries the stored
 * values, not a guess made in the process.
 */
export class RecordTimesSubscriber implements EventSubscriber<SharedRecord> {
  async afterCreate(args: EventArgs<SharedRecord>): Promise<void> {
    await readBack(args);
  }

  async afterUpdate(args: EventArgs<SharedRecord>): Promise<void> {
    await readBack(args);
  }
}

async function readBack({ entity, em, meta }: EventArgs<SharedRecord>): Promise<void> {
  if (!(entity instanceof SharedRecord) || !meta) return;
  const key = meta.primaryKeys[0];
  const column = meta.properties[key as keyof typeof meta.properties].fieldNames[0];
  const table = `"${em.config.get('schema')}"."${meta.tableName}"`;
  const rows = await em
    .getConnection()
    .execute<{ created_at: Date | string; updated_at: Date | string }[]>(
      `select "created_at", "updated_at" from ${table} where "${column}" = ?`,
      [(entity as unknown as Record<string, unknown>)[key]],
      'all',
      em.getTransactionContext(),
    );
  if (!rows[0]) return;
  entity.createdAt = new Date(rows[0].created_at);
  entity.updatedAt = new Date(rows[0].updated_at);
}
