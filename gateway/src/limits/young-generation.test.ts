import { GATEWAY_SEMI_SPACE_OPTION, gatewayNodeOptions, semiSpaceChosen } from './young-generation';

describe('the gateway young generation', () => {
  it('adds the semi-space to NODE_OPTIONS, keeping what the operator set', () => {
    expect(gatewayNodeOptions(undefined)).toBe(GATEWAY_SEMI_SPACE_OPTION);
    expect(gatewayNodeOptions('  ')).toBe(GATEWAY_SEMI_SPACE_OPTION);
    expect(gatewayNodeOptions('--max-old-space-size=512')).toBe(`--max-old-space-size=512 ${GATEWAY_SEMI_SPACE_OPTION}`);
  });

  it("leaves the operator's own semi-space alone, in either spelling", () => {
    expect(gatewayNodeOptions('--max-semi-space-size=8')).toBe('--max-semi-space-size=8');
    expect(gatewayNodeOptions('--max_semi_space_size=64 --enable-source-maps')).toBe('--max_semi_space_size=64 --enable-source-maps');
    expect(semiSpaceChosen(['--max-semi-space-size=4'], undefined)).toBe(true);
    expect(semiSpaceChosen(['--max-old-space-size=4'], '--max-old-space-size=4')).toBe(false);
    expect(semiSpaceChosen([], '--max-semi-space-sizes=4')).toBe(false);
  });
});
