import { z } from 'zod';
import type { RegistryWatchOptions } from './registry-watcher';

/**
 * The registry trust settings both services share (gateway/src/config.ts, subgraphs/member/src/config.ts),
 * read from INFRARED_REGISTRY_SIGNATURES, INFRARED_REGISTRY_PIN and INFRARED_REGISTRY_STATE.
 */
export const registryTrustConfig = {
  /** `on`: a registry version takes effect only when the members signed it. `off`: development and tests only. */
  registrySignatures: z.enum(['on', 'off']).default('on'),
  /** `sha256:…` of the first registry version to trust (`infrared registry propose` prints it). */
  registryPin: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256: and 64 hex digits, as `infrared registry propose` and `status` print')
    .optional(),
  /** Where the last accepted registry version is stored. Default: `<registry file>.accepted.json`. */
  registryStateFile: z.string().min(1).optional(),
};

/**
 * The watcher's trust options from a service's settings. Signatures can be turned off only in
 * development mode, or under a test runner (NODE_ENV=test): a production service always checks them.
 */
export function registryWatchOptions(
  config: { registrySignatures: 'on' | 'off'; registryPin?: string; registryStateFile?: string; production: boolean },
  env: NodeJS.ProcessEnv = process.env,
): RegistryWatchOptions {
  if (config.registrySignatures === 'off' && config.production && env.NODE_ENV !== 'test') {
    throw new TypeError(
      'invalid configuration:\n  registrySignatures (INFRARED_REGISTRY_SIGNATURES): "off" is for development only (--dev or NODE_ENV=development); production checks the members\' signatures',
    );
  }
  return { signatures: config.registrySignatures, pin: config.registryPin, stateFile: config.registryStateFile, production: config.production };
}
