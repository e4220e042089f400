import { z } from 'zod';
import { memberId, recordSource, text, visibility } from '../../import/data-file-fields';

/**
 * One of this member's confirmations of another member's project (what joinProject records).
 * `sharedWith` is who may see a MEMBERS participation, as for every kind; when the file does not
 * say, it is the project's lead, as joinProject records it (the lead must see the confirmation to
 * list this member among the project's participants).
 */
export const participationSchema = z.strictObject({
  projectId: z.string().regex(/^[a-z0-9-]+:[a-z0-9._-]+$/, 'expected a global project id such as "kafshata:shared-backup"'),
  role: text(200).optional(),
  visibility: visibility.default('NETWORK'),
  sharedWith: z.array(memberId).max(500).optional(),
  source: recordSource,
});

/** Whom a participation is shared with when its data file or joinProject does not say: the project's lead. */
export function defaultParticipationSharedWith(projectId: string): string[] {
  return [projectId.slice(0, projectId.indexOf(':'))];
}
