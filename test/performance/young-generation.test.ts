/**
 * The gateway's young generation (gateway/src/limits/young-generation.ts) in a real node process:
 * NODE_OPTIONS carries it (Node refuses V8 options it does not allow there), and V8 then lets
 * the young generation grow to it (past the default on Node 20, whose default is smaller).
 */
import { execFileSync } from 'node:child_process';
import { GATEWAY_SEMI_SPACE_MIB, gatewayNodeOptions } from '../../gateway/src/limits/young-generation';

describe('the gateway young generation', () => {
  it('is accepted in NODE_OPTIONS by this Node and lets the young generation grow to it', () => {
    const script =
      "const v8=require('v8');const keep=[];for(let r=0;r<60;r++){const a=[];for(let i=0;i<50000;i++)a.push({i});keep.push(a);if(keep.length>3)keep.shift()}process.stdout.write(String(v8.getHeapSpaceStatistics().find((s)=>s.space_name==='new_space').space_size))";
    const newSpace = (nodeOptions: string) => Number(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, NODE_OPTIONS: nodeOptions }, encoding: 'utf8' }));
    const withDefault = newSpace('');
    const withGateway = newSpace(gatewayNodeOptions(undefined));
    const withSmall = newSpace('--max-semi-space-size=1');
    // V8 grows the young generation to its maximum under this allocation (how it counts the
    // semi-spaces differs between V8 versions: at least one of them, never less than by default;
    // Node 20's default is below it, Node 24's V8 already reaches it by default)
    expect(withGateway).toBeGreaterThanOrEqual(GATEWAY_SEMI_SPACE_MIB * 2 ** 20);
    expect(withGateway).toBeGreaterThanOrEqual(withDefault);
    // NODE_OPTIONS is what sets it: a smaller semi-space there gives a smaller young generation
    expect(withSmall).toBeLessThan(withGateway);
  });
});
