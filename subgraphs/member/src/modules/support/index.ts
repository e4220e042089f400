import type { AccessScope } from '../../access/visibility';
import { recordKind } from '../record-kind';
import { supportNeedList, supportOfferList } from './support.list';
import { supportNeedDataFile, supportOfferDataFile } from './support.data-file';
import { SupportNeedRecord, SupportOfferRecord } from './support.entity';
import { toSupport } from './support.mapper';
import { SupportNeedType, SupportOfferType } from './support.type';
import { loadSupportNeed, loadSupportOffer, SupportNeedResolver, SupportOfferResolver } from './support.resolver';

/** Solidarity offers (funding, training, hosting …) a member makes to the network. */
export const supportOfferKind = recordKind({
  name: 'supportOffers',
  entities: [SupportOfferRecord],
  resolvers: [SupportOfferResolver],
  lists: [supportOfferList],
  references: { SupportOffer: loadSupportOffer },
  memberField: null,
  writes: null,
  dataFile: supportOfferDataFile,
  signedFields: {},
  feed: { kind: 'SUPPORT_OFFER', type: SupportOfferType, toRecord: (row: SupportOfferRecord, scope: AccessScope) => toSupport(SupportOfferType as never, row, scope) },
});

/** Solidarity needs a member asks the network to meet. */
export const supportNeedKind = recordKind({
  name: 'supportNeeds',
  entities: [SupportNeedRecord],
  resolvers: [SupportNeedResolver],
  lists: [supportNeedList],
  references: { SupportNeed: loadSupportNeed },
  memberField: null,
  writes: null,
  dataFile: supportNeedDataFile,
  signedFields: {},
  feed: { kind: 'SUPPORT_NEED', type: SupportNeedType, toRecord: (row: SupportNeedRecord, scope: AccessScope) => toSupport(SupportNeedType as never, row, scope) },
});
