import type { Visibility } from '../../schema/enums';
import type { TestMember } from './network';

type Svc = { id: string; visibility: Visibility; sharedWith?: string[]; kind?: string; regions?: string[]; languages?: string[] };

function service(s: Svc) {
  return {
    id: s.id,
    name: `Service ${s.id}`,
    kind: (s.kind ?? 'EMAIL') as 'EMAIL',
    description: { en: `English text of ${s.id}`, sq: `Teksti shqip i ${s.id}`, es: `Texto en español de ${s.id}` },
    languages: s.languages ?? ['en'],
    regions: s.regions ?? ['Test region'],
    status: 'OPERATIONAL' as const,
    acceptingUsers: true,
    visibility: s.visibility,
    sharedWith: s.sharedWith ?? [],
    capacity: [{ id: `${s.id}-cap`, resource: 'ACCOUNTS' as const, total: 100, used: 40, visibility: s.visibility, sharedWith: s.sharedWith ?? [] }],
  };
}

/**
 * Every member holds one record at each visibility level; its MEMBERS record is shared with the
 * next member in the ring (alpha → beta → gamma → alpha).
 */
export function ringMembers(ids = ['alpha', 'beta', 'gamma']): TestMember[] {
  return ids.map((id, i) => {
    const next = ids[(i + 1) % ids.length];
    return {
      id,
      languages: ['en', 'sq'],
      data: {
        services: [
          service({ id: 'pub', visibility: 'PUBLIC' }),
          service({ id: 'net', visibility: 'NETWORK' }),
          service({ id: 'mem', visibility: 'MEMBERS', sharedWith: [next] }),
          service({ id: 'own', visibility: 'OWNER' }),
        ],
        capacity: [{ id: 'loose', resource: 'STORAGE_GB', total: 50, used: 10, visibility: 'PUBLIC', numbersVisibility: 'NETWORK', sharedWith: [] }],
        projects: [
          {
            id: 'proj-pub',
            name: `Project of ${id}`,
            area: 'SOLIDARITY',
            status: 'ACTIVE',
            summary: { en: 'A project', sq: 'Një projekt' },
            participants: [next],
            needs: [],
            visibility: 'PUBLIC',
            sharedWith: [],
          },
          {
            id: 'proj-own',
            name: `Secret project of ${id}`,
            area: 'SHARED_INFRASTRUCTURE',
            status: 'PROPOSED',
            summary: { en: 'Secret' },
            participants: [],
            needs: [],
            visibility: 'OWNER',
            sharedWith: [],
          },
        ],
      },
    } as TestMember;
  });
}
