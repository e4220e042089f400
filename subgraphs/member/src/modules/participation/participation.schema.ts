import { z } from 'zod';
import { text, visibility } from '../../import/data-file-fields';

/** One of this member's confirmations of another member's project (what joinProject records). */
export const participationSchema = z.strictObject({
  projectId: z.string().regex(/^[a-z0-9-]+:[a-z0-9._-]+$/, 'expected a global project id such as "kafshata:shared-backup"'),
  role: text(200).optional(),
  visibility: visibility.default('NETWORK'),
});
