import { capacityKind } from './capacity';
import { incidentKind } from './incident';
import { participationKind } from './participation';
import { projectKind } from './project';
import type { RecordKind } from './record-kind';
import { serviceKind } from './service';
import { supportNeedKind, supportOfferKind } from './support';
import { trainingKind } from './training';

/**
 * Every kind of record a member serves, in data-file order. The ORM setup, the schema build, the
 * reference resolution and the `Member` fields iterate this list: a kind that is not here is not served.
 */
export const RECORD_KINDS: readonly RecordKind[] = [serviceKind, capacityKind, projectKind, incidentKind, supportOfferKind, supportNeedKind, participationKind, trainingKind];

export type { RecordKind } from './record-kind';
