import fc from 'fast-check';
import type { Visibility } from '../../schema/enums';
import { RECORD_KINDS } from '../../subgraphs/member/src/modules';

/**
 * A model of what owners do to their records, and of who may see what, written from the policy
 * (not from the code under test), for the change-feed property tests.
 */
export const LEVELS: Visibility[] = ['PUBLIC', 'NETWORK', 'MEMBERS', 'OWNER'];
export type Who = 'anonymous' | string;

export interface ModelRecord {
  kind: string;
  local: string;
  level: Visibility;
  sharedWith: string[];
  version: number;
}

/** One kind as the tests write it to a data file, and how its version reads back from the feed. */
export interface KindFixture {
  /** The data-file list it lives in. */
  list: string;
  row(r: ModelRecord): Record<string, unknown>;
  /** The version the record carries, read from the record as the feed returns it. */
  versionOf(record: Record<string, any>): number;
  /** Whether the data file can say whom a MEMBERS record is shared with. */
  sharesFromFile: boolean;
}

/** Every kind in RECORD_KINDS must have a fixture here: a new kind fails the coverage test until it does. */
export const KIND_FIXTURES: Record<string, KindFixture> = {
  SERVICE: {
    list: 'services',
    sharesFromFile: true,
    row: (r) => ({ id: r.local, name: `v${r.version}`, kind: 'EMAIL', status: 'OPERATIONAL', acceptingUsers: true, visibility: r.level, sharedWith: r.sharedWith, capacity: [] }),
    versionOf: (rec) => Number(String(rec.name).slice(1)),
  },
  CAPACITY: {
    list: 'capacity',
    sharesFromFile: true,
    row: (r) => ({ id: r.local, resource: 'STORAGE_GB', total: 1000, used: r.version, visibility: r.level, sharedWith: r.sharedWith }),
    versionOf: (rec) => Number(rec.used),
  },
  PROJECT: {
    list: 'projects',
    sharesFromFile: true,
    row: (r) => ({ id: r.local, name: `v${r.version}`, area: 'SOLIDARITY', status: 'ACTIVE', participants: [], needs: [], visibility: r.level, sharedWith: r.sharedWith }),
    versionOf: (rec) => Number(String(rec.name).slice(1)),
  },
  INCIDENT: {
    list: 'incidents',
    sharesFromFile: true,
    row: (r) => ({ id: r.local, kind: 'DDOS', severity: 'HIGH', observedAt: '2026-01-14T03:20:00Z', mitigation: `v${r.version}`, visibility: r.level, sharedWith: r.sharedWith }),
    versionOf: (rec) => Number(String(rec.mitigation).slice(1)),
  },
  SUPPORT_OFFER: {
    list: 'supportOffers',
    sharesFromFile: true,
    row: (r) => ({ id: r.local, kind: 'TRAINING', title: `v${r.version}`, visibility: r.level, sharedWith: r.sharedWith }),
    versionOf: (rec) => Number(String(rec.title).slice(1)),
  },
  SUPPORT_NEED: {
    list: 'supportNeeds',
    sharesFromFile: true,
    row: (r) => ({ id: r.local, kind: 'FUNDING', title: `v${r.version}`, visibility: r.level, sharedWith: r.sharedWith }),
    versionOf: (rec) => Number(String(rec.title).slice(1)),
  },
  TRAINING: {
    list: 'trainings',
    sharesFromFile: true,
    row: (r) => ({ id: r.local, title: `v${r.version}`, format: 'ONLINE', startsAt: '2026-03-01T10:00:00Z', languages: ['en'], visibility: r.level, sharedWith: r.sharedWith }),
    versionOf: (rec) => Number(String(rec.title).slice(1)),
  },
  PARTICIPATION: {
    list: 'participations',
    // the data file has no sharedWith for participations: a MEMBERS one is the owner's alone
    sharesFromFile: false,
    row: (r) => ({ projectId: `elsewhere:${r.local}`, role: `v${r.version}`, visibility: r.level }),
    versionOf: (rec) => Number(String(rec.role).slice(1)),
  },
};

/** The global id the feed gives a model record. */
export function globalIdOf(owner: string, r: Pick<ModelRecord, 'kind' | 'local'>): string {
  return r.kind === 'PARTICIPATION' ? `${owner}:elsewhere:${r.local}` : `${owner}:${r.local}`;
}

/** The policy (TLP 2.0) as the tests state it. */
export function mayCallerSee(owner: string, r: ModelRecord, who: Who): boolean {
  const shared = KIND_FIXTURES[r.kind].sharesFromFile ? r.sharedWith : [];
  switch (r.level) {
    case 'PUBLIC':
      return true;
    case 'NETWORK':
      return who !== 'anonymous';
    case 'MEMBERS':
      return who === owner || shared.includes(who);
    case 'OWNER':
      return who === owner;
  }
}

/** A data file for an owner holding these records. */
export function dataFile(owner: string, records: Iterable<ModelRecord>): Record<string, unknown> {
  const data: Record<string, unknown[]> = {};
  for (const list of Object.values(KIND_FIXTURES).map((k) => k.list)) data[list] = [];
  // the owner always sees its own records, and the file may not list it in sharedWith
  for (const r of records) data[KIND_FIXTURES[r.kind].list].push(KIND_FIXTURES[r.kind].row({ ...r, sharedWith: r.sharedWith.filter((m) => m !== owner) }));
  return { member: owner, ...data };
}

export type Step =
  | { op: 'create'; slot: number; kind: string; level: Visibility; sharedWith: string[] }
  | { op: 'edit'; slot: number }
  | { op: 'visibility'; slot: number; level: Visibility; sharedWith: string[] }
  | { op: 'delete'; slot: number }
  | { op: 'poll'; bot: number; first: number };

export function stepArbitrary(kinds: string[], members: string[], bots: number): fc.Arbitrary<Step> {
  const slot = fc.integer({ min: 0, max: 5 });
  const level = fc.constantFrom(...LEVELS);
  const shared = fc.subarray(members);
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('create' as const), slot, kind: fc.constantFrom(...kinds), level, sharedWith: shared }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('edit' as const), slot }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('visibility' as const), slot, level, sharedWith: shared }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), slot }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('poll' as const), bot: fc.integer({ min: 0, max: bots - 1 }), first: fc.integer({ min: 1, max: 4 }) }) },
  );
}

/** Applies an owner's step to its model; returns whether anything changed. */
export function applyStep(records: Map<number, ModelRecord>, step: Exclude<Step, { op: 'poll' }>, run: string, counter: { n: number }): boolean {
  const current = records.get(step.slot);
  switch (step.op) {
    case 'create':
      if (current) return false;
      records.set(step.slot, { kind: step.kind, local: `r${run}-${step.slot}-${counter.n++}`, level: step.level, sharedWith: step.sharedWith, version: 1 });
      return true;
    case 'edit':
      if (!current) return false;
      current.version++;
      return true;
    case 'visibility':
      if (!current) return false;
      current.level = step.level;
      current.sharedWith = step.sharedWith;
      return true;
    case 'delete':
      return records.delete(step.slot);
  }
}

/** A bot: applies every change it is given, and remembers every id it ever heard of. */
export class Bot {
  readonly state = new Map<string, number>();
  readonly heard = new Set<string>();
  cursor: string | null = null;

  apply(changes: { id: string; operation: string; record: Record<string, any> | null; kind: string }[]): void {
    for (const c of changes) {
      this.heard.add(c.id);
      if (c.operation === 'REMOVE') this.state.delete(c.id);
      else {
        if (!c.record) throw new Error(`UPSERT without a record for ${c.id}`);
        this.state.set(c.id, KIND_FIXTURES[c.kind].versionOf(c.record));
      }
    }
  }
}

export const ALL_FEED_KINDS = () => RECORD_KINDS.map((k) => k.feed.kind);
