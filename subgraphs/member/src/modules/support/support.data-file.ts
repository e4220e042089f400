import type { EntityManager } from '@mikro-orm/postgresql';
import { looseList, type DataFilePart } from '../shared/data-file';
import { SupportNeedRecord, SupportOfferRecord, type SupportRecord } from './support.entity';

const row = (o: SupportRecord) => ({ id: o.id, kind: o.kind, title: o.title, description: o.description, languages: o.languages, open: o.open, visibility: o.visibility, sharedWith: o.sharedWith });

/** `supportOffers:` */
export const supportOfferDataFile: DataFilePart = {
  label: 'support offer',
  key: 'id',
  records: (file) => looseList(file.supportOffers, ['supportOffers']),
  entity: SupportOfferRecord,
  rows: (data) => data.supportOffers,
  async export(em: EntityManager) {
    return (await em.find(SupportOfferRecord, {}, { orderBy: { id: 'asc' } })).map(row);
  },
};

/** `supportNeeds:` */
export const supportNeedDataFile: DataFilePart = {
  label: 'support need',
  key: 'id',
  records: (file) => looseList(file.supportNeeds, ['supportNeeds']),
  entity: SupportNeedRecord,
  rows: (data) => data.supportNeeds,
  async export(em: EntityManager) {
    return (await em.find(SupportNeedRecord, {}, { orderBy: { id: 'asc' } })).map(row);
  },
};
