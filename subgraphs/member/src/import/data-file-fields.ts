import { z } from 'zod';
import { VISIBILITIES } from '../../../../schema/enums';
import { LOCAL_ID_PATTERN, MEMBER_ID_PATTERN } from '../../../../common/ids';
import { RECORD_SOURCES } from '../modules/shared/shared-record.entity';

/** The field types every kind's part of the member data file is built from. */
export const localId = z.string().regex(LOCAL_ID_PATTERN, 'expected a local id: lowercase letters, digits, ".", "_" or "-", without the member prefix');
export const memberId = z.string().regex(MEMBER_ID_PATTERN, 'expected a member id: lowercase letters, digits and "-"');
export const langTag = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 language tag such as "sq" or "es-AR"');
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
/**
 * Translated text by language. Optional everywhere, and an empty map is the same as none (the
 * contract's `descriptions: [LocalizedText!]!` may be empty), so that what validation returns,
 * and what `member export` writes, validates again.
 */
export const translations = z.record(langTag, text(4000));
export const visibility = z.enum(VISIBILITIES);
export const httpsUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    try {
      return ['https:', 'http:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'expected an http(s) URL');
export const date = z.union([z.date(), z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'expected a date such as 2025-03-01')]).transform((v) => new Date(v));
export const RANK = Object.fromEntries(VISIBILITIES.map((v, i) => [v, i])) as Record<string, number>;
/**
 * Where a record in the file came from. Absent means FILE (the member's own data file); `member
 * export` writes `source: API` on records written through the API, and an import keeps them API,
 * so re-importing an export does not turn them into file records that a later `--prune` removes.
 */
export const recordSource = z.enum(RECORD_SOURCES).optional();
