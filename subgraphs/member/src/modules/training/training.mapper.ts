import { globalId } from '../../../../../common/ids';
import type { AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import { sharedWithFor } from '../shared/shared-with';
import { recordTimes } from '../shared/record-times.type';
import type { TrainingRecord } from './training.entity';
import { TrainingType } from './training.type';

export function toTraining(record: TrainingRecord, scope: AccessScope): TrainingType {
  return Object.assign(new TrainingType(), {
    ...recordTimes(record),
    id: globalId(scope.owner, record.id),
    localId: record.id,
    member: memberRef(scope.owner),
    title: record.title,
    languages: record.languages,
    format: record.format,
    region: record.region ?? null,
    startsAt: record.startsAt,
    endsAt: record.endsAt ?? null,
    seats: record.seats ?? null,
    visibility: record.visibility,
    version: record.version,
    sharedWith: sharedWithFor(scope, record),
    descriptionTexts: record.description,
  });
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
