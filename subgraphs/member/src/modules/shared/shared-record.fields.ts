import { globalId } from '../../../../../common/ids';
import type { Visibility } from '../../../../../schema/enums';
import { asIs, codec } from './field-codecs';
import { field, plainField } from './field-table';

/**
 * The fields every shared record has (SharedRecord), for the kinds' field tables, which list
 * them where their data-file columns go.
 */

/** A record's local id: as it is in the data file and the write input, `<memberId>:<localId>` on the type. */
export const localIdField = () => field(codec<string>({ toType: (id, scope) => globalId(scope.owner, id) }));

/** Who may see the record (TLP 2.0). */
export const visibilityField = () => plainField<Visibility>();

/**
 * The members a MEMBERS record is shared with. Whom a record is shared with is the owner's
 * business, so the type shows it to the owner only: every other caller (even one it is shared
 * with) gets null. Attestations never cover it.
 */
export const sharedWithField = () => field(asIs<string[]>(), { visibility: 'owner' });

/** The record's version (optimistic concurrency): set by the server, shown on the type only. */
export const versionField = () => field(asIs<number>(), { file: null, input: null });
