import { GraphQLError } from 'graphql';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { requireOwnWrite } from '../../access/require-write';
import type { MemberContext } from '../../context';
import { capacitySchema, projectSchema, serviceSchema } from '../../import/member-data.schema';
import { CapacityRecord } from '../capacity/capacity.entity';
import { toCapacity } from '../capacity/capacity.mapper';
import { CapacityType } from '../capacity/capacity.type';
import { ProjectRecord } from '../project/project.entity';
import { toProject } from '../project/project.mapper';
import { ProjectType } from '../project/project.type';
import { ServiceRecord } from '../service/service.entity';
import { toService } from '../service/service.mapper';
import { ServiceType } from '../service/service.type';
import { localIdOf, toTranslations, validateInput } from './validate-input';
import { CapacityInput, ProjectInput, ServiceInput } from './write.inputs';

/** Writes to this member's own data. Each one is checked at the owner and runs in a transaction. */
@Resolver()
export class WriteResolver {
  @Mutation(() => ServiceType)
  async upsertService(@Ctx() ctx: MemberContext, @Arg('input', () => ServiceInput) input: ServiceInput): Promise<ServiceType> {
    requireOwnWrite(ctx);
    const { capacity: _none, ...data } = validateInput(serviceSchema, { ...stripNulls(input), description: toTranslations(input.description), capacity: [] });
    const row = await ctx.em.transactional(async (em) => {
      const existing = await em.findOne(ServiceRecord, { id: data.id });
      const values = { ...data, url: data.url ?? null, software: data.software ?? null };
      if (existing) return em.assign(existing, values);
      const created = em.create(ServiceRecord, values);
      em.persist(created);
      return created;
    });
    return toService(row, ctx.scope);
  }

  @Mutation(() => Boolean, { description: 'Removes one of your services (and its capacity). False when there was none.' })
  async removeService(@Ctx() ctx: MemberContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    requireOwnWrite(ctx);
    const localId = localIdOf(id, ctx.member.id);
    if (!localId) throw new GraphQLError('That id belongs to another member', { extensions: { code: 'FORBIDDEN' } });
    return ctx.em.transactional(async (em) => (await em.nativeDelete(ServiceRecord, { id: localId })) > 0);
  }

  @Mutation(() => CapacityType)
  async reportCapacity(@Ctx() ctx: MemberContext, @Arg('input', () => CapacityInput) input: CapacityInput): Promise<CapacityType> {
    requireOwnWrite(ctx);
    const { serviceId: rawServiceId, ...rest } = stripNulls(input);
    const data = validateInput(capacitySchema, rest);
    const serviceId = rawServiceId ? localIdOf(rawServiceId, ctx.member.id) : null;
    const row = await ctx.em.transactional(async (em) => {
      if (serviceId && !(await em.findOne(ServiceRecord, { id: serviceId }))) {
        throw new GraphQLError(`Invalid input: serviceId: no service "${serviceId}"`, { extensions: { code: 'BAD_USER_INPUT', fields: [`serviceId: no service "${serviceId}"`] } });
      }
      const existing = await em.findOne(CapacityRecord, { id: data.id });
      const values = { ...data, serviceId: serviceId ?? existing?.serviceId ?? null, numbersVisibility: data.numbersVisibility ?? null, measuredAt: data.measuredAt ?? new Date() };
      if (existing) return em.assign(existing, values);
      const created = em.create(CapacityRecord, values);
      em.persist(created);
      return created;
    });
    return toCapacity(row, ctx.scope);
  }

  @Mutation(() => ProjectType)
  async upsertProject(@Ctx() ctx: MemberContext, @Arg('input', () => ProjectInput) input: ProjectInput): Promise<ProjectType> {
    requireOwnWrite(ctx);
    const { participants, ...data } = validateInput(projectSchema, { ...stripNulls(input), summary: toTranslations(input.summary) });
    const row = await ctx.em.transactional(async (em) => {
      const existing = await em.findOne(ProjectRecord, { id: data.id });
      const values = { ...data, invited: participants, startedAt: data.startedAt ?? null };
      if (existing) return em.assign(existing, values);
      const created = em.create(ProjectRecord, values);
      em.persist(created);
      return created;
    });
    return toProject(row, ctx.scope);
  }
}

function stripNulls<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}
