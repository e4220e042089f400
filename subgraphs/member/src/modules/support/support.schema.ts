import { z } from 'zod';
import { SUPPORT_KINDS } from '../../../../../schema/enums';
import { langTag, localId, memberId, text, translations, visibility, recordSource } from '../../import/data-file-fields';

/** An offer or a need in the data file. */
export const supportSchema = z.strictObject({
  id: localId,
  kind: z.enum(SUPPORT_KINDS),
  title: text(200),
  description: translations.default({}),
  languages: z.array(langTag).max(50).default([]),
  open: z.boolean().default(true),
  visibility,
  sharedWith: z.array(memberId).max(500).default([]),
  source: recordSource,
});
