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
}

export const ANONYMOUS: Caller = Object.freeze({ anonymous: true, scopes: [] }) as Caller;

export function hasScope(caller: Caller, scope: string): boolean {
  return !caller.anonymous && caller.scopes.includes(scope);
}
