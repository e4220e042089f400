import type { ClassType } from 'type-graphql';
import type { AccessScope } from '../../access/visibility';

/**
 * A kind's place in the change feed (`changes/`): its `RecordKind` value and how one of its rows
 * becomes its GraphQL type. Its table and key are the data file's (`dataFile.entity`, `dataFile.key`).
 */
export interface FeedPart {
  /** Its value in the `RecordKind` enum, e.g. `SERVICE`; also the `kind` its change-log rows carry. */
  readonly kind: string;
  /** Its GraphQL object type, a member of the `ChangeRecord` union. */
  readonly type: ClassType;
  /** A visible row as its GraphQL type. */
  toRecord(row: never, scope: AccessScope): object;
  /** For INCIDENT changes: the severity, so subscribers can filter on it. */
  severity?(row: never): string;
}
