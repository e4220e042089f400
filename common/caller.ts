/**
 * Who a request is made for, as the gateway concluded from the caller's token and as the member
 * subgraph re-derives from the gateway's signed assertion. Anonymous callers see PUBLIC data only.
 */
export interface Caller {
  anonymous: boolean;
  /** The member that issued the caller's token. */
  member?: string;
  subject?: string;
  scopes: string[];
  /** The bound token's `cnf.jkt`: its requests must carry a proof signed by this key. */
  boundKey?: string;
  /**
   * True when this request's caller was proven to the service that derived it: a bound token
   * and a valid proof for this very request (at a member: forwarded by the gateway and checked
   * there). False or absent: the caller is asserted (a gateway's word, or a bearer token).
   */
  proven?: boolean;
  /**
   * Anonymous only because this member's policy is `proven` and the request's caller was
   * asserted, not proven (so a write is refused with a reason that says so).
   */
  unproven?: boolean;
}

export const ANONYMOUS: Caller = Object.freeze({ anonymous: true, scopes: [] }) as Caller;

export function hasScope(caller: Caller, scope: string): boolean {
  return !caller.anonymous && caller.scopes.includes(scope);
}
