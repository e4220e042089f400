import type { MikroORM } from '@mikro-orm/postgresql';
import { stringify } from 'yaml';
import { RECORD_KINDS } from '../modules';

/**
 * Everything the member holds, as a member data file that `member import` reads back: each listed
 * kind writes its part, and records written through the API carry `source: API` (file records
 * carry nothing: FILE is the default), so that importing the export keeps them API records.
 */
export async function exportMemberData(orm: MikroORM, memberId: string): Promise<Record<string, unknown>> {
  const em = orm.em.fork();
  const parts = await Promise.all(RECORD_KINDS.map(async (kind) => [kind.name, await kind.dataFile.export(em)] as const));
  const file: Record<string, unknown> = { member: memberId, ...Object.fromEntries(parts) };
  for (const { dataFile } of RECORD_KINDS) {
    const fromApi = await em.find(dataFile.entity, { source: 'API' } as never, { fields: [dataFile.key] as never });
    const keys = new Set(fromApi.map((r) => String((r as Record<string, unknown>)[dataFile.key])));
    for (const { record } of dataFile.records(file)) if (keys.has(String(record[dataFile.key]))) record.source = 'API';
  }
  return file;
}

export function toYaml(data: Record<string, unknown>): string {
  return stringify(data, { lineWidth: 0 });
}

export { exportMisp, mispUuids } from './misp-export';
