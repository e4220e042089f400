import { recordKind } from '../record-kind';
import { projectList } from './project.list';
import { projectDataFile } from './project.data-file';
import { ProjectRecord } from './project.entity';
import { signedProjectFields } from './project.mapper';
import { loadProject, ProjectResolver } from './project.resolver';

/** Projects a member leads, with the members it invited. */
export const projectKind = recordKind({
  name: 'projects',
  entities: [ProjectRecord],
  resolvers: [ProjectResolver],
  lists: [projectList],
  references: { Project: loadProject },
  memberField: null,
  dataFile: projectDataFile,
  signedFields: { Project: signedProjectFields },
});
