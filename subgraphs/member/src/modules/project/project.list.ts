import { ArgsType, Field } from 'type-graphql';
import { recordList } from '../shared/record-list';
import { ProjectRecord } from './project.entity';
import { ProjectFilter } from './project.filter';
import { toProject } from './project.mapper';
import { projectWhere } from './project.repository';
import { ProjectType } from './project.type';

@ArgsType()
export class ProjectListArgs {
  @Field(() => ProjectFilter, { nullable: true })
  filter?: ProjectFilter;
}

/** `projects` and `projectsConnection`: by local id. */
export const projectList = recordList({
  field: 'projects',
  typeName: 'Project',
  node: ProjectType,
  args: ProjectListArgs,
  entity: ProjectRecord,
  order: [{ property: 'id', direction: 'asc', type: 'text' }],
  where: (scope, args: ProjectListArgs) => projectWhere(scope, args.filter ?? {}),
  toNode: toProject,
});
