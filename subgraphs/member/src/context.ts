import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../../common/caller';
import type { AccessScope } from './access/visibility';
import type { Loaders } from './loaders';
import type { Attestor } from './provenance/attestor';

/** What a member subgraph knows about itself. */
export interface MemberIdentity {
  id: string;
  /** BCP 47 tags, the first one being the member's main language (used for text fallback). */
  languages: string[];
}

/** The per-request context every resolver receives. */
export interface MemberContext {
  member: MemberIdentity;
  /**
   * A fork of the EntityManager for this request only; in a read query answered by the member's
   * hot path, the process's shared read EntityManager instead (db/read-entity-manager.ts), which
   * refuses to manage entities: reads go through `findVisible`/`countVisible`, and code that needs
   * managed entities forks it.
   */
  em: EntityManager;
  caller: Caller;
  scope: AccessScope;
  loaders: Loaders;
  acceptLanguage: string[];
  /** Response keys of root lists that the member's cap cut (reported in `extensions.capped`). */
  capped: Set<string>;
  /** Signs records when the member has a key (provenance). */
  attestor?: Attestor;
}
