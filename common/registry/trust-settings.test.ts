import { resolveGatewayConfig } from '../../gateway/src/config';
import { resolveMemberConfig } from '../../subgraphs/member/src/config';
import { registryWatchOptions } from './trust-settings';

describe('registry signatures: on by default, off only in development or under a test runner', () => {
  it('both services default to signatures on, with no pin and the state next to the registry', () => {
    const gateway = resolveGatewayConfig({ registryFile: 'network.yaml' }, {});
    expect([gateway.registrySignatures, gateway.registryPin, gateway.registryStateFile]).toEqual(['on', undefined, undefined]);
    expect(resolveMemberConfig({ memberId: 'kafshata' }, {})).toMatchObject({ registrySignatures: 'on' });
  });

  it('a production service refuses "off"', () => {
    const gateway = resolveGatewayConfig({ registryFile: 'network.yaml' }, { INFRARED_REGISTRY_SIGNATURES: 'off', NODE_ENV: 'production' });
    expect(() => registryWatchOptions(gateway, { NODE_ENV: 'production' })).toThrow('"off" is for development only');
    expect(() => registryWatchOptions(gateway, {})).toThrow('"off" is for development only');
    const dev = resolveGatewayConfig({ registryFile: 'network.yaml' }, { INFRARED_REGISTRY_SIGNATURES: 'off', NODE_ENV: 'development' });
    expect(registryWatchOptions(dev, { NODE_ENV: 'development' })).toMatchObject({ signatures: 'off', production: false });
    expect(registryWatchOptions(gateway, { NODE_ENV: 'test' })).toMatchObject({ signatures: 'off' });
  });

  it('a pin must be a sha256 hash', () => {
    expect(() => resolveMemberConfig({ memberId: 'kafshata' }, { INFRARED_REGISTRY_PIN: 'abc' })).toThrow(/registryPin.*sha256:/s);
  });
});
