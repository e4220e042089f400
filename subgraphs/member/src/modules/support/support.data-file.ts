import type { EntityManager } from '@mikro-orm/postgresql';
import { looseList, type DataFilePart } from '../shared/data-file';
import { fromFileRow, toFileRow } from '../shared/field-table';
import { SupportNeedRecord, SupportOfferRecord } from './support.entity';
import { supportFields } from './support.fields';

/** `supportOffers:` */
export const supportOfferDataFile: DataFilePart = {
  label: 'support offer',
  key: 'id',
  records: (file) => looseList(file.supportOffers, ['supportOffers']),
  entity: SupportOfferRecord,
  rows: (data) => data.supportOffers.map((o) => fromFileRow(supportFields, o)),
  async export(em: EntityManager) {
    return (await em.find(SupportOfferRecord, {}, { orderBy: { id: 'asc' } })).map((o) => toFileRow(supportFields, o));
  },
};

/** `supportNeeds:` */
export const supportNeedDataFile: DataFilePart = {
  label: 'support need',
  key: 'id',
  records: (file) => looseList(file.supportNeeds, ['supportNeeds']),
  entity: SupportNeedRecord,
  rows: (data) => data.supportNeeds.map((n) => fromFileRow(supportFields, n)),
  async export(em: EntityManager) {
    return (await em.find(SupportNeedRecord, {}, { orderBy: { id: 'asc' } })).map((n) => toFileRow(supportFields, n));
  },
};
