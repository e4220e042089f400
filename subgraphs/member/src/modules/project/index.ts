import { recordKind } from '../record-kind';
import { projectWrites } from './project.writes';
import { projectList } from './project.list';
import { projectDataFile } from './project.data-file';
import { ProjectRecord } from './project.entity';
import { signedProjectFields, toProject } from './project.mapper';
import { ProjectType } from './project.type';
import { loadProject, ProjectResolver } from './project.resolver';

/** Projects a member leads, with the members it invited. */
export const projectKind = recordKind({
  name: 'projects',
  entities: [ProjectRecord],
  resolvers: [ProjectResolver],
  lists: [projectList],
  references: { Project: loadProject },
  memberField: null,
  writes: projectWrites,
  dataFile: projectDataFile,
  signedFields: { Project: signedProjectFields },
  feed: { kind: 'PROJECT', type: ProjectType, toRecord: toProject },
});
