import type { AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import { toTypeFields } from '../shared/field-table';
import { recordTimes } from '../shared/record-times.type';
import type { TrainingRecord } from './training.entity';
import { trainingFields } from './training.fields';
import { TrainingType } from './training.type';

export function toTraining(record: TrainingRecord, scope: AccessScope): TrainingType {
  return Object.assign(new TrainingType(), recordTimes(record), toTypeFields(trainingFields, record, scope), { localId: record.id, member: memberRef(scope.owner) });
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The public fields of a training that an attestation covers (everything but the owner-only `sharedWith`). */
export function signedTrainingFields(t: TrainingType): Record<string, unknown> {
  return {
    id: t.id,
    member: t.member.id,
    title: t.title,
    description: t.descriptionTexts,
    languages: t.languages,
    format: t.format,
    region: t.region ?? null,
    startsAt: iso(t.startsAt),
    endsAt: iso(t.endsAt),
    seats: t.seats ?? null,
    visibility: t.visibility,
    updatedAt: iso(t.updatedAt),
  };
}
