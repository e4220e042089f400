import type { MikroORM } from '@mikro-orm/postgresql';
import { stringify } from 'yaml';
import { RECORD_KINDS } from '../modules';

/** Everything the member holds, as a member data file that `member import` reads back: each listed kind writes its part. */
export async function exportMemberData(orm: MikroORM, memberId: string): Promise<Record<string, unknown>> {
  const em = orm.em.fork();
  const parts = await Promise.all(RECORD_KINDS.map(async (kind) => [kind.name, await kind.dataFile.export(em)] as const));
  return { member: memberId, ...Object.fromEntries(parts) };
}

export function toYaml(data: Record<string, unknown>): string {
  return stringify(data, { lineWidth: 0 });
}

export { exportMisp, mispUuids } from './misp-export';
