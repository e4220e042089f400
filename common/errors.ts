/**
 * Every code an InfraRed domain error carries: one union, so a code is stable, greppable and
 * documented in one place. Client-visible GraphQL errors use the same words in
 * `extensions.code`.
 */
export const ERROR_CODES = [
  /** A token or assertion was refused (one generic 401 to the client; the refusal code goes to the log). */
  'UNAUTHENTICATED',
  /** A request body above the configured limit. */
  'PAYLOAD_TOO_LARGE',
  /** A threat indicator (IP, CIDR, domain, …) that does not parse. */
  'INVALID_INDICATOR',
  /** A registry file that does not parse or validate. */
  'INVALID_REGISTRY',
  /** A member data file that does not parse or validate. */
  'INVALID_DATA_FILE',
  /** A write based on a version of a record that is no longer the stored one (`extensions.currentVersion`). */
  'CONFLICT',
  /** A change-feed cursor that is not one this member or gateway issued, or was issued to another caller: start again without `since`. */
  'INVALID_CURSOR',
  /** A change-feed cursor older than the changes a member keeps (its tombstone retention): resync from scratch. */
  'CURSOR_EXPIRED',
  /** A caller (or the gateway as a whole) already holds the most live subscriptions allowed. */
  'TOO_MANY_SUBSCRIPTIONS',
  /** A live subscriber that did not read fast enough: its stream ends, it resumes from its last event id. */
  'SUBSCRIBER_TOO_SLOW',
  /** The network change feed could not be read (every retry failed). */
  'FEED_UNAVAILABLE',
  /** A stream request that is not a subscription, or not one the stream route serves. */
  'BAD_SUBSCRIPTION',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The base of InfraRed's domain errors: a stable `code` from `ERROR_CODES`, `name` from the
 * subclass, and the underlying `cause` kept for the log.
 */
export class InfraredError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
