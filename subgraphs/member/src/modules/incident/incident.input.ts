import { Field, ID, InputType } from 'type-graphql';
import type { IncidentKind, IncidentStatus, Severity, Visibility } from '../../../../../schema/enums';
import type { IndicatorType } from '../../../../../common/indicators';
import { IncidentKindEnum, IncidentStatusEnum, IndicatorTypeEnum, SeverityEnum, VisibilityEnum } from '../../graphql/enums';
import { LocalizedTextInput } from '../../graphql/localized-text.type';

@InputType('IndicatorInput')
export class IndicatorInput {
  @Field(() => IndicatorTypeEnum) type!: IndicatorType;
  @Field(() => String) value!: string;
}

@InputType('IncidentInput', { description: 'Takes a local id: the member prefix is implied. Visibility defaults to NETWORK (TLP:GREEN).' })
export class IncidentInput {
  @Field(() => ID) id!: string;
  @Field(() => IncidentKindEnum) kind!: IncidentKind;
  @Field(() => SeverityEnum) severity!: Severity;
  @Field(() => IncidentStatusEnum, { nullable: true }) status?: IncidentStatus;
  @Field(() => Date) observedAt!: Date;
  @Field(() => [LocalizedTextInput], { nullable: true }) summary?: LocalizedTextInput[];
  @Field(() => String, { nullable: true }) mitigation?: string;
  @Field(() => [IndicatorInput], { nullable: true }) indicators?: IndicatorInput[];
  @Field(() => VisibilityEnum, { nullable: true }) visibility?: Visibility;
  @Field(() => [ID], { nullable: true }) sharedWith?: string[];
}
