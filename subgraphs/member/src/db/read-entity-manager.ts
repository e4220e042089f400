import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';

/** What a read query did to the shared read EntityManager that needs an entity of its own. */
export class SharedReaderMisuseError extends Error {
  constructor(what: string) {
    super(`the shared read EntityManager keeps no entities (${what}): read through findVisible/countVisible, or fork it (em.fork()) for managed entities`);
    this.name = 'SharedReaderMisuseError';
  }
}

/**
 * One EntityManager for all the read queries of a member process, instead of a fork per request
 * (a fork builds a unit of work, an entity factory, a loader and copies of the filters: about
 * 5 % of a member's CPU per read under load). Reads need none of it: they go through
 * `findVisible`/`countVisible` (plain rows, no identity map) and raw connection queries, and
 * use the EntityManager only for metadata, the driver and the connection pool.
 *
 * Sharing is safe only while nothing becomes managed by it, so it refuses to: an entity stored
 * in its identity map (`find`, `findOne`, `getReference`, `create`), persisted or removed throws
 * `SharedReaderMisuseError`, instead of keeping rows from one request for the next. Code that
 * needs managed entities forks it (a fork has its own identity map) or runs in a mutation, whose
 * context has its own fork. `begin` is refused too (`transactional` runs on a fork of its own).
 */
export function sharedReadEntityManager(orm: MikroORM): EntityManager {
  const em = orm.em.fork();
  const unitOfWork = em.getUnitOfWork(false);
  const identityMap = unitOfWork.getIdentityMap();
  identityMap.store = () => {
    throw new SharedReaderMisuseError('an entity would enter its identity map');
  };
  unitOfWork.persist = () => {
    throw new SharedReaderMisuseError('persist');
  };
  unitOfWork.remove = () => {
    throw new SharedReaderMisuseError('remove');
  };
  // a transaction begun on it would hold every concurrent read on its connection
  em.begin = () => Promise.reject(new SharedReaderMisuseError('begin'));
  return em;
}
