import { fetchWithToken } from '../shared/caller-key';
import { GRAPHQL_PATH } from '../shared/token';

/**
 * The one query the dashboard needs: the registry and the caller from the gateway, and every
 * member's records through the contract's root fields (each asked of every member, in parallel).
 * Member and lead names come from the registry here, not from another round of entity lookups.
 */
export const NETWORK_QUERY = /* GraphQL */ `
query Dashboard($lang: String) {
  network { id name memberCount regions languages schemaVersion }
  viewer { anonymous member { id name } subject scopes }
  members {
    id name region countries languages website description(lang: $lang)
    status { state reachable ready trusted latencyMs schemaVersion checkedAt lastSeen compatible breaker }
  }
  services {
    id name kind status acceptingUsers languages regions visibility url software description(lang: $lang)
    member { id }
  }
  capacity { id resource total used available visibility member { id } }
  projects {
    id name area status summary(lang: $lang) visibility needs
    participants { id } lead { id }
  }
  trainings {
    id title format region languages startsAt endsAt seats visibility description(lang: $lang)
    member { id }
  }
}`;

export type Visibility = 'PUBLIC' | 'NETWORK' | 'MEMBERS' | 'OWNER';
export type Area = 'SOLIDARITY' | 'MOVEMENT_ENGAGEMENT' | 'TECHNOLOGY_PLATFORM' | 'SHARED_INFRASTRUCTURE';
export const AREAS: Area[] = ['SOLIDARITY', 'MOVEMENT_ENGAGEMENT', 'TECHNOLOGY_PLATFORM', 'SHARED_INFRASTRUCTURE'];
export const RESOURCES = ['ACCOUNTS', 'STORAGE_GB', 'CPU_CORES', 'MEMORY_GB', 'BANDWIDTH_MBPS'] as const;
export type Resource = (typeof RESOURCES)[number];

export interface Capacity {
  id: string;
  member: { id: string };
  resource: Resource;
  total: number | null;
  used: number | null;
  available: number | null;
  visibility?: Visibility;
}
export interface Service {
  id: string;
  name: string;
  kind: string;
  status: string;
  acceptingUsers: boolean;
  languages: string[];
  regions: string[];
  visibility: Visibility;
  url: string | null;
  software: string | null;
  description: string | null;
  member: { id: string };
}
export interface MemberRef {
  id: string;
  name: string;
}
export interface Project {
  id: string;
  name: string;
  area: Area;
  status: string;
  summary: string | null;
  visibility: Visibility;
  needs: string[];
  participants: MemberRef[];
  lead: MemberRef;
}
export interface Training {
  id: string;
  title: string;
  format: 'ONLINE' | 'IN_PERSON';
  region: string | null;
  languages: string[];
  startsAt: string;
  endsAt: string | null;
  seats: number | null;
  visibility: Visibility;
  description: string | null;
  member: { id: string };
}
/** The gateway's one-word view of a member (see Member.status.state in the network schema). */
export type MemberState = 'OK' | 'UNAVAILABLE' | 'UNTRUSTED' | 'INCOMPATIBLE' | 'UNKNOWN';
export interface MemberStatus {
  state: MemberState;
  reachable: boolean;
  /** The member's own readiness (its database). */
  ready: boolean | null;
  /** Whether the member accepts this gateway's signed assertions. */
  trusted: boolean | null;
  latencyMs: number | null;
  schemaVersion: string | null;
  checkedAt: string | null;
  lastSeen: string | null;
  compatible: boolean | null;
  breaker: string;
}
export interface Member {
  id: string;
  name: string;
  region: string;
  countries: string[];
  languages: string[];
  website: string | null;
  description: string | null;
  status: MemberStatus;
  /** Null when the member did not answer. */
  services: Service[] | null;
  capacity: Capacity[] | null;
  projects: Project[] | null;
  trainings: Training[] | null;
}
export interface Viewer {
  anonymous: boolean;
  member: MemberRef | null;
  subject: string | null;
  scopes: string[];
}
export interface NetworkData {
  network: { id: string; name: string; memberCount: number; regions: string[]; languages: string[]; schemaVersion: string };
  viewer: Viewer;
  members: Member[];
  services: Service[];
  capacity: Capacity[];
  projects: Project[];
  trainings: Training[];
}

type RawMember = Omit<Member, 'services' | 'capacity' | 'projects' | 'trainings'>;
type RawData = Omit<NetworkData, 'members' | 'projects'> & {
  members: RawMember[];
  projects: (Omit<Project, 'lead' | 'participants'> & { lead: { id: string }; participants: { id: string }[] })[];
};

/** A member that did not answer this request, and why ('timeout', 'error', 'circuit_open', 'skipped'). */
export interface Outage {
  member: string;
  reason: string;
}

export interface Snapshot {
  data: NetworkData;
  outages: Outage[];
  /** Errors that are not about one member. */
  problems: string[];
}

export class GatewayError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    /** Seconds to wait before asking again (Retry-After of a 429). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; member?: string; reason?: string } }[];
  extensions?: { members?: Record<string, { status: string; durationMs?: number }> };
}

/** One answer of the gateway: the data, the members that did not answer, and other errors. */
export interface Answer<T> {
  data: T;
  outages: Outage[];
  /** Errors that are not about one member. */
  problems: string[];
}

/**
 * Posts one operation to this origin's /graphql, with the token when one is set (signed with
 * this browser's caller key when the token is bound to it). Answers with
 * the data and the members that did not answer (from `extensions.members` and MEMBER_UNAVAILABLE
 * errors); throws GatewayError when there is no data at all.
 */
export async function askGateway<T>(query: string, variables: Record<string, unknown>, opts: { token?: string; signal?: AbortSignal }): Promise<Answer<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  // a token bound to this browser's key goes with a proof (Authorization: DPoP); any other as a Bearer token
  const send = opts.token ? await fetchWithToken(opts.token) : (url: string, init: RequestInit) => fetch(url, init);
  const res = await send(GRAPHQL_PATH, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
    signal: opts.signal,
  });
  let body: GraphQLResponse<T>;
  try {
    body = (await res.json()) as GraphQLResponse<T>;
  } catch {
    throw new GatewayError(`HTTP ${res.status}`, res.status);
  }
  if (!res.ok || !body.data) {
    const first = body.errors?.[0];
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new GatewayError(first?.message ?? `HTTP ${res.status}`, res.status, first?.extensions?.code, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
  const outages = new Map<string, string>();
  for (const [member, report] of Object.entries(body.extensions?.members ?? {})) {
    if (report.status !== 'ok') outages.set(member, report.status);
  }
  const problems: string[] = [];
  for (const e of body.errors ?? []) {
    if (e.extensions?.code === 'MEMBER_UNAVAILABLE' && e.extensions.member) {
      if (!outages.has(e.extensions.member)) outages.set(e.extensions.member, e.extensions.reason ?? 'error');
    } else problems.push(e.message);
  }
  return { data: body.data, outages: [...outages].map(([member, reason]) => ({ member, reason })), problems: [...new Set(problems)] };
}

/** The dashboard's registry, caller and records, each member handed its own records. */
export async function loadNetwork(opts: { lang: string; token?: string; signal?: AbortSignal }): Promise<Snapshot> {
  const answer = await askGateway<RawData>(NETWORK_QUERY, { lang: opts.lang }, opts);
  const down = new Map(answer.outages.map((o) => [o.member, o.reason]));
  return { data: assemble(answer.data, down), outages: answer.outages, problems: answer.problems };
}

/** Names every member reference from the registry, and hands each member its own records (null when it did not answer). */
function assemble(raw: RawData, outages: Map<string, string>): NetworkData {
  const names = new Map(raw.members.map((m) => [m.id, m.name]));
  const ref = ({ id }: { id: string }): MemberRef => ({ id, name: names.get(id) ?? id });
  const projects: Project[] = (raw.projects ?? []).map((p) => ({ ...p, lead: ref(p.lead), participants: p.participants.map(ref) }));
  const services = raw.services ?? [];
  const capacity = raw.capacity ?? [];
  const trainings = raw.trainings ?? [];
  const members: Member[] = raw.members.map((m) => {
    const answered = !outages.has(m.id);
    return {
      ...m,
      services: answered ? services.filter((s) => s.member.id === m.id) : null,
      capacity: answered ? capacity.filter((c) => c.member.id === m.id) : null,
      projects: answered ? projects.filter((p) => p.lead.id === m.id) : null,
      trainings: answered ? trainings.filter((x) => x.member.id === m.id) : null,
    };
  });
  return { ...raw, members, services, capacity, projects, trainings };
}
