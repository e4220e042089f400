import { z } from 'zod';
import { formatPath } from '../../../../common/zod-issues';
import { RECORD_KINDS } from '../modules';
import { capacitySchema } from '../modules/capacity/capacity.schema';
import { incidentSchema } from '../modules/incident/incident.schema';
import { participationSchema } from '../modules/participation/participation.schema';
import { projectSchema } from '../modules/project/project.schema';
import { serviceSchema } from '../modules/service/service.schema';
import { supportSchema } from '../modules/support/support.schema';
import { trainingSchema } from '../modules/training/training.schema';
import { memberId } from './data-file-fields';

export { capacitySchema, incidentSchema, participationSchema, projectSchema, serviceSchema, supportSchema, trainingSchema };
export { indicatorSchema } from '../modules/incident/incident.schema';

/** A member's data file: `member` and one key per listed record kind (each kind's own schema). */
const memberDataFile = z.strictObject({
  member: memberId,
  services: z.array(serviceSchema).max(10_000).default([]),
  capacity: z.array(capacitySchema).max(10_000).default([]),
  projects: z.array(projectSchema).max(10_000).default([]),
  incidents: z.array(incidentSchema).max(100_000).default([]),
  supportOffers: z.array(supportSchema).max(10_000).default([]),
  supportNeeds: z.array(supportSchema).max(10_000).default([]),
  /** This member's confirmations of other members' projects (what joinProject records). */
  participations: z.array(participationSchema).max(10_000).default([]),
  trainings: z.array(trainingSchema).max(10_000).default([]),
});

const fileKeys = Object.keys(memberDataFile.shape).filter((key) => key !== 'member');
if (fileKeys.join() !== RECORD_KINDS.map((kind) => kind.name).join()) {
  throw new TypeError(`the member data file's keys (${fileKeys.join(', ')}) must be the listed record kinds, in order (${RECORD_KINDS.map((kind) => kind.name).join(', ')})`);
}

/** A member's data file: what `infrared member import` loads. */
export const memberDataSchema = memberDataFile.superRefine(
  (parsed, ctx) => {
    // Runs even when other parts of the file are invalid (`when`), so that every problem is
    // reported at once; the data may then be partial, so nothing is assumed about its shape.
    const file = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
    for (const { dataFile } of RECORD_KINDS) {
      const first = new Map<string, string>();
      for (const { record, path } of dataFile.records(file)) {
        const id = record[dataFile.key];
        if (typeof id === 'string') {
          if (first.has(id)) ctx.addIssue({ code: 'custom', path: [...path, dataFile.key], message: `duplicate ${dataFile.label} id "${id}" (first at ${first.get(id)})` });
          else first.set(id, formatPath(path));
        }
        if (Array.isArray(record.sharedWith) && record.sharedWith.includes(file.member)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'sharedWith'], message: 'must not list the member itself (the owner always sees its records)' });
        }
      }
    }
  },
  { when: () => true },
);

export type MemberData = z.infer<typeof memberDataSchema>;
export type CapacityData = z.infer<typeof capacitySchema>;

export { formatIssues, formatPath } from '../../../../common/zod-issues';
