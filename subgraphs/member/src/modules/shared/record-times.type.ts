/** The descriptions of every record type's `createdAt` and `updatedAt` fields. */
export const CREATED_AT = 'When the member first stored this record (set by its database, never by a data file).';
export const UPDATED_AT = 'When this record last changed (set by its database; an identical re-import does not move it).';

/** A record's timestamps, for its GraphQL type. */
export function recordTimes(record: { createdAt: Date; updatedAt: Date }): { createdAt: Date; updatedAt: Date } {
  return { createdAt: record.createdAt, updatedAt: record.updatedAt };
}

/** The description of every kind filter's `updatedSince`. */
export const UPDATED_SINCE = 'Only records changed at or after this time (their `updatedAt`).';

/** The condition for a filter's `updatedSince`, or none. */
export function updatedSinceWhere(since: Date | null | undefined): { updatedAt: { $gte: Date } }[] {
  return since ? [{ updatedAt: { $gte: since } }] : [];
}
