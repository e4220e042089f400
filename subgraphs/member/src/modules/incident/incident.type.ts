import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { CREATED_AT, UPDATED_AT } from '../shared/record-times.type';
import type { IncidentKind, IncidentStatus, Severity, Translations, Visibility } from '../../../../../schema/enums';
import type { IndicatorType } from '../../../../../common/indicators';
import { IncidentKindEnum, IncidentStatusEnum, IndicatorTypeEnum, SeverityEnum, VisibilityEnum } from '../../graphql/enums';
import { MemberRef } from '../member/member.type';

@ObjectType('Indicator', { description: 'An indicator of compromise, normalised (canonical IPs and CIDRs, punycode domains, lower-case hashes, AS numbers as ASn).' })
export class IndicatorType_ {
  @Field(() => IndicatorTypeEnum) type!: IndicatorType;
  @Field(() => String) value!: string;
}

@ObjectType('Incident', { description: 'An attack report. Default visibility NETWORK (TLP:GREEN).' })
@Directive('@key(fields: "id")')
export class IncidentType {
  @Field(() => Date, { description: CREATED_AT }) createdAt!: Date;
  @Field(() => Date, { description: UPDATED_AT }) updatedAt!: Date;
  @Field(() => ID) id!: string;
  @Field(() => MemberRef) member!: MemberRef;
  @Field(() => IncidentKindEnum) kind!: IncidentKind;
  @Field(() => SeverityEnum) severity!: Severity;
  @Field(() => IncidentStatusEnum) status!: IncidentStatus;
  @Field(() => Date) observedAt!: Date;
  @Field(() => String, { nullable: true }) mitigation?: string | null;
  @Field(() => [IndicatorType_]) indicators!: IndicatorType_[];
  @Field(() => VisibilityEnum) visibility!: Visibility;
  @Field(() => [ID], { nullable: true, description: 'Shown to the owner only.' }) sharedWith?: string[] | null;
  summaryTexts!: Translations;
}
