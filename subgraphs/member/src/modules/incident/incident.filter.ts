import { UPDATED_SINCE } from '../shared/record-times.type';
import { Field, ID, InputType } from 'type-graphql';
import type { IncidentKind, Severity } from '../../../../../schema/enums';
import { IncidentKindEnum, SeverityEnum } from '../../graphql/enums';

@InputType('IncidentFilter')
export class IncidentFilter {
  @Field(() => [IncidentKindEnum], { nullable: true }) kinds?: IncidentKind[];
  @Field(() => SeverityEnum, { nullable: true }) minSeverity?: Severity;
  @Field(() => Date, { nullable: true }) since?: Date;
  @Field(() => String, { nullable: true, description: '"Has anyone seen this?": an IP (also matched inside reported CIDRs), CIDR, domain, URL, e-mail, hash or AS number.' })
  indicator?: string;
  @Field(() => [ID], { nullable: true }) members?: string[];
  @Field(() => Date, { nullable: true, description: UPDATED_SINCE }) updatedSince?: Date;
}
