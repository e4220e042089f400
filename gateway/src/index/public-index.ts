import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { ANONYMOUS } from '../../../common/caller';
import type { Logger } from '../../../common/logger';
import type { Registry } from '../../../common/registry/registry.schema';
import type { GatewayContext } from '../context';
import type { MemberQuery } from '../network/member-queries';

export interface CatalogueEntry {
  id: string;
  member: string;
  name: string;
  kind: string;
  status: string;
  acceptingUsers: boolean;
  languages: string[];
  regions: string[];
  url: string | null;
  software: string | null;
  description: string | null;
}

export interface CatalogueSnapshot {
  refreshedAt: string;
  entries: CatalogueEntry[];
  /** Members that did not answer the last crawl: their entries are from an older crawl, or absent. */
  missingMembers: string[];
}

const CRAWL = '{ services { id name kind status acceptingUsers languages regions url software description member { id } } }';
const KEY = 'public-index:catalogue';

/**
 * The public index: a copy of what anonymous callers may see of the service catalogue, refreshed
 * by a background crawl as an anonymous caller (so it can only ever hold PUBLIC data — never
 * NETWORK, MEMBERS or OWNER records), kept in a KeyValueCache (Redis when replicas share it).
 * `publicCatalogue` answers from it without fanning out, which is what keeps catalogue queries
 * cheap when a network has hundreds of members.
 */
export class PublicIndex {
  private timer?: NodeJS.Timeout;
  private local?: CatalogueSnapshot;

  constructor(private readonly opts: { query: MemberQuery; registry: () => Registry; store: KeyValueCache<string>; refreshSeconds: number; logger: Logger }) {}

  start(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.opts.refreshSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async refresh(): Promise<CatalogueSnapshot> {
    const ctx: GatewayContext = { requestId: 'public-index', caller: ANONYMOUS, registry: this.opts.registry(), deadlineAt: Date.now() + 30_000, reports: [] };
    const { data, missing, incomplete } = await this.opts.query(ctx, CRAWL);
    const previous = await this.snapshot();
    // a member that did not answer, or whose answer had an error or a dropped record, keeps its
    // entries from the last crawl: nothing from an incomplete answer is stored
    const stale = new Set([...missing, ...incomplete]);
    const fresh = ((data.services ?? []) as (Omit<CatalogueEntry, 'member'> & { member: { id: string } })[]).filter((s) => !stale.has(s.member.id)).map((s) => ({ ...s, member: s.member.id }));
    const kept = (previous?.entries ?? []).filter((e) => stale.has(e.member));
    const snapshot: CatalogueSnapshot = { refreshedAt: new Date().toISOString(), entries: [...fresh, ...kept].sort((a, b) => (a.id < b.id ? -1 : 1)), missingMembers: [...stale].sort() };
    this.local = snapshot;
    try {
      await this.opts.store.set(KEY, JSON.stringify(snapshot), { ttl: this.opts.refreshSeconds * 3 });
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'public index: shared store unavailable, keeping the local copy');
    }
    return snapshot;
  }

  async snapshot(): Promise<CatalogueSnapshot | undefined> {
    try {
      const shared = await this.opts.store.get(KEY);
      if (shared) return JSON.parse(shared) as CatalogueSnapshot;
    } catch {
      /* fall back to the local copy */
    }
    return this.local;
  }
}

/** Filters the catalogue the way `services(filter)` does at the members. */
export function filterCatalogue(
  entries: CatalogueEntry[],
  filter: { kinds?: string[]; members?: string[]; regions?: string[]; languages?: string[]; status?: string[]; acceptingUsers?: boolean; text?: string } = {},
  limit?: number | null,
): CatalogueEntry[] {
  const text = filter.text?.toLowerCase();
  const out = entries.filter(
    (e) =>
      (!filter.kinds?.length || filter.kinds.includes(e.kind)) &&
      (!filter.members?.length || filter.members.includes(e.member)) &&
      (!filter.regions?.length || e.regions.some((r) => filter.regions!.includes(r))) &&
      (!filter.languages?.length || e.languages.some((l) => filter.languages!.includes(l))) &&
      (!filter.status?.length || filter.status.includes(e.status)) &&
      (filter.acceptingUsers === undefined || filter.acceptingUsers === null || e.acceptingUsers === filter.acceptingUsers) &&
      (!text || [e.name, e.software ?? '', e.description ?? ''].some((v) => v.toLowerCase().includes(text))),
  );
  return typeof limit === 'number' && limit >= 0 ? out.slice(0, limit) : out;
}
