import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import { findVisible } from './access/find-visible';
import type { AccessScope } from './access/visibility';
import { ServiceRecord } from './modules/service/service.entity';
import { CapacityRecord } from './modules/capacity/capacity.entity';
import { ProjectRecord } from './modules/project/project.entity';

/** Per-request batch loaders, so nested fields cost one query per level, not one per record. */
export interface Loaders {
  serviceById: DataLoader<string, ServiceRecord | null>;
  capacityById: DataLoader<string, CapacityRecord | null>;
  capacityByService: DataLoader<string, CapacityRecord[]>;
  projectById: DataLoader<string, ProjectRecord | null>;
}

function byIdLoader<T extends { id: string }>(em: EntityManager, entity: EntityName<T>, scope: AccessScope) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await findVisible(em, entity, scope, { id: { $in: [...ids] } } as never);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

export function createLoaders(em: EntityManager, scope: AccessScope): Loaders {
  return {
    serviceById: byIdLoader(em, ServiceRecord, scope),
    capacityById: byIdLoader(em, CapacityRecord, scope),
    projectById: byIdLoader(em, ProjectRecord, scope),
    capacityByService: new DataLoader<string, CapacityRecord[]>(async (serviceIds) => {
      const rows = await findVisible(em, CapacityRecord, scope, { serviceId: { $in: [...serviceIds] } }, { orderBy: { id: 'asc' } });
      const groups = new Map<string, CapacityRecord[]>();
      for (const row of rows) {
        const list = groups.get(row.serviceId!) ?? [];
        list.push(row);
        groups.set(row.serviceId!, list);
      }
      return serviceIds.map((id) => groups.get(id) ?? []);
    }),
  };
}
