import { Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { IncidentKind, IncidentStatus, Severity, Translations } from '../../../../../schema/enums';
import type { Indicator } from '../../../../../common/indicators';
import { SharedRecord } from '../shared/shared-record.entity';

/** An attack report. Indicators are also kept, normalised, in `incident_indicator` for matching. */
@Entity({ tableName: 'incident' })
export class IncidentRecord extends SharedRecord {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'text' }) id!: string;
  @Property({ type: 'text' }) kind!: IncidentKind;
  @Property({ type: 'text' }) severity!: Severity;
  @Property({ type: 'text' }) status!: IncidentStatus;
  @Property({ type: 'datetime' }) observedAt!: Date;
  @Property({ type: JsonType }) summary: Translations = {};
  @Property({ type: 'text', nullable: true }) mitigation?: string | null;
  @Property({ type: JsonType }) indicators: Indicator[] = [];
}
