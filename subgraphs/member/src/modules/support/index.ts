import { recordKind } from '../record-kind';
import { supportNeedList, supportOfferList } from './support.list';
import { supportNeedDataFile, supportOfferDataFile } from './support.data-file';
import { SupportNeedRecord, SupportOfferRecord } from './support.entity';
import { loadSupportNeed, loadSupportOffer, SupportNeedResolver, SupportOfferResolver } from './support.resolver';

/** Solidarity offers (funding, training, hosting …) a member makes to the network. */
export const supportOfferKind = recordKind({
  name: 'supportOffers',
  entities: [SupportOfferRecord],
  resolvers: [SupportOfferResolver],
  lists: [supportOfferList],
  references: { SupportOffer: loadSupportOffer },
  memberField: null,
  dataFile: supportOfferDataFile,
  signedFields: {},
});

/** Solidarity needs a member asks the network to meet. */
export const supportNeedKind = recordKind({
  name: 'supportNeeds',
  entities: [SupportNeedRecord],
  resolvers: [SupportNeedResolver],
  lists: [supportNeedList],
  references: { SupportNeed: loadSupportNeed },
  memberField: null,
  dataFile: supportNeedDataFile,
  signedFields: {},
});
