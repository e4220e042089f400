import type { RegistryMember } from '../../../common/registry/registry.schema';
import type { GatewayContext } from '../context';
import type { MemberHealth } from './member-health';

/**
 * The members a request may reach: its registry snapshot without the members whose schema the
 * health check found incompatible with the network contract (reported as skipped).
 */
export function compatibleMembers(health: MemberHealth): (context: GatewayContext) => RegistryMember[] {
  return (context) =>
    context.registry.members.filter((m) => {
      if (health.status(m.id).compatible !== false) return true;
      context.reports.push({ member: m.id, status: 'skipped', durationMs: 0, reason: 'schema incompatible with the network contract' });
      return false;
    });
}
