import type { Area, ProjectStatus } from '../../../../../schema/enums';
import { memberRef, type MemberRef } from '../member/member.type';
import { codec, dateCodec, translationsCodec } from '../shared/field-codecs';
import { field, fieldTable, plainField } from '../shared/field-table';
import { localIdField, sharedWithField, versionField, visibilityField } from '../shared/shared-record.fields';
import { ProjectRecord } from './project.entity';

/** Member ids, shown on the type as references to the registry's `Member`. */
const memberRefs = codec<string[], string[], string[], MemberRef[]>({ toType: (ids) => ids.map(memberRef) });

/** A project's fields, in data-file column order. The members it invites are `participants` in the data file and the write input. */
export const projectFields = fieldTable(ProjectRecord)({
  id: localIdField(),
  name: plainField<string>(),
  area: plainField<Area>(),
  status: plainField<ProjectStatus>(),
  summary: field(translationsCodec, { type: 'summaryTexts' }),
  invited: field(memberRefs, { file: 'participants', input: 'participants' }),
  needs: plainField<string[]>(),
  startedAt: field(dateCodec, { optional: true }),
  visibility: visibilityField(),
  sharedWith: sharedWithField(),
  version: versionField(),
});
