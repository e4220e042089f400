import { execFileSync } from 'node:child_process';
import { GATEWAY_SEMI_SPACE_MIB, GATEWAY_SEMI_SPACE_OPTION, gatewayNodeOptions, semiSpaceChosen } from './young-generation';

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

  it('is accepted in NODE_OPTIONS by this Node and lets the young generation grow past the default', () => {
    const script =
      "const v8=require('v8');const keep=[];for(let r=0;r<60;r++){const a=[];for(let i=0;i<50000;i++)a.push({i});keep.push(a);if(keep.length>3)keep.shift()}process.stdout.write(String(v8.getHeapSpaceStatistics().find((s)=>s.space_name==='new_space').space_size))";
    const newSpace = (nodeOptions: string) => Number(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, NODE_OPTIONS: nodeOptions }, encoding: 'utf8' }));
    const withDefault = newSpace('');
    const withGateway = newSpace(gatewayNodeOptions(undefined));
    // V8 grows the young generation to its maximum under this allocation (how it counts the
    // semi-spaces differs between V8 versions: at least one of them, more than by default)
    expect(withGateway).toBeGreaterThanOrEqual(GATEWAY_SEMI_SPACE_MIB * 2 ** 20);
    expect(withGateway).toBeGreaterThan(withDefault);
  });
});
