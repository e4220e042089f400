import { ArgsType, Field } from 'type-graphql';
import type { SupportKind } from '../../../../../schema/enums';
import { SupportKindEnum } from '../../graphql/enums';
import { recordList, type RecordList } from '../shared/record-list';
import { SupportNeedRecord, SupportOfferRecord } from './support.entity';
import { toSupport } from './support.mapper';
import { supportWhere } from './support.repository';
import { SupportNeedType, SupportOfferType } from './support.type';

@ArgsType()
export class SupportListArgs {
  @Field(() => Boolean, { nullable: true })
  includeClosed?: boolean;

  @Field(() => SupportKindEnum, { nullable: true })
  kind?: SupportKind;
}

function supportList(field: 'supportOffers' | 'supportNeeds', typeName: string, node: typeof SupportOfferType, entity: typeof SupportOfferRecord): RecordList {
  return recordList({
    field,
    typeName,
    node,
    args: SupportListArgs,
    entity,
    order: [{ property: 'id', direction: 'asc', type: 'text' }],
    where: (_scope, args: SupportListArgs) => supportWhere(args.kind, args.includeClosed),
    toNode: (row, scope) => toSupport(node as never, row, scope),
  });
}

/** `supportOffers` and `supportOffersConnection`: by local id. */
export const supportOfferList = supportList('supportOffers', 'SupportOffer', SupportOfferType, SupportOfferRecord);
/** `supportNeeds` and `supportNeedsConnection`: by local id. */
export const supportNeedList = supportList('supportNeeds', 'SupportNeed', SupportNeedType, SupportNeedRecord as unknown as typeof SupportOfferRecord);
