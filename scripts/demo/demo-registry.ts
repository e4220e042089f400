import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PrivateJwk } from '../../common/auth/keys';
import { readRegistryVersion, signRegistryVersion } from '../../common/registry/signed-registry';

/**
 * The demo's registry as a signed first version (version 1, a majority signs the next one),
 * signed by every demo member, and the trust settings that pin it. The demo rewrites its registry
 * on every start (new ports, new keys), so it forgets the versions its services accepted before.
 */
export async function signedDemoRegistry(registry: Record<string, unknown>, memberKeys: Record<string, PrivateJwk>, stateDir: string) {
  const content = { ...registry, version: 1, threshold: 'majority' };
  const unsigned = readRegistryVersion(stringify(content));
  const signatures = await Promise.all(Object.entries(memberKeys).map(([id, key]) => signRegistryVersion(unsigned, id, key)));
  const trustDir = join(stateDir, 'registry-accepted');
  rmSync(trustDir, { recursive: true, force: true });
  return {
    text: `# InfraRed demo registry, written by \`npm start\`. The gateway and the members watch this file;\n# a new version takes effect when a majority of the members sign it (\`infrared registry --help\`).\n${stringify({ ...content, signatures })}`,
    hash: unsigned.hash,
    /** Settings for a service: signatures on, the first version pinned, its own accepted-version file. */
    trust: (service: string) => ({ registrySignatures: 'on' as const, registryPin: unsigned.hash, registryStateFile: join(trustDir, `${service}.json`) }),
    /** The same, as environment for a member process (`infrared member start`). */
    trustEnv: (service: string) => ({ INFRARED_REGISTRY_SIGNATURES: 'on', INFRARED_REGISTRY_PIN: unsigned.hash, INFRARED_REGISTRY_STATE: join(trustDir, `${service}.json`) }),
  };
}
