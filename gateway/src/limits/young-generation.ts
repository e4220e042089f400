/**
 * The gateway's young generation. A fan-out holds every member's answer while the others arrive
 * (500 at a time at 500 members), so with V8's default semi-space (16 MiB on 64-bit with Node 20; Node 24's V8 reaches 32 by default) much of it
 * survives two scavenges and is copied into the old generation, to be collected there later at a
 * higher price. A 32 MiB semi-space lets those answers die young: ~12 % less gateway CPU per
 * member call at 500 members (README, Benchmarks, item 10), for a few tens of MB more RSS (+24
 * to +44 MB peak there), and only while the gateway allocates that fast (V8 grows the young
 * generation on demand).
 *
 * V8 fixes the semi-space's maximum when the process starts: `v8.setFlagsFromString` cannot
 * change it later (unlike the heap growth, see heap-growth.ts), so it goes on the node command
 * line or in `NODE_OPTIONS` (accepted there by Node 20, 22 and 24). This module is the one place
 * that names the value: the Docker Compose gateway service sets it (checked by
 * test/deploy/compose.test.ts), the benchmarks launch their gateways with it, and `infrared
 * gateway start` says so in its log when it runs without it.
 */

/** The semi-space the gateway is launched with, in MiB (V8's default on 64-bit: 16). */
export const GATEWAY_SEMI_SPACE_MIB = 32;

/** The node option for it, as it goes in `NODE_OPTIONS`. */
export const GATEWAY_SEMI_SPACE_OPTION = `--max-semi-space-size=${GATEWAY_SEMI_SPACE_MIB}`;

const SEMI_SPACE_FLAG = /(?:^|\s)--max[-_]semi[-_]space[-_]size(?:=|\s|$)/;

/**
 * Whether the process was given a semi-space size: by its command line (`execArgv`) or by
 * `NODE_OPTIONS`. Either is the operator's choice and wins over the default.
 * @example
 * semiSpaceChosen(process.execArgv, process.env.NODE_OPTIONS); // false under a bare `node`
 */
export function semiSpaceChosen(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return execArgv.some((arg) => SEMI_SPACE_FLAG.test(arg)) || SEMI_SPACE_FLAG.test(nodeOptions ?? '');
}

/**
 * `NODE_OPTIONS` for a gateway process: the operator's own, with the gateway's semi-space added
 * unless they chose one.
 * @example
 * spawn(process.execPath, [cli, 'gateway', 'start'], { env: { ...process.env, NODE_OPTIONS: gatewayNodeOptions(process.env.NODE_OPTIONS) } });
 */
export function gatewayNodeOptions(nodeOptions: string | undefined): string {
  const own = (nodeOptions ?? '').trim();
  if (semiSpaceChosen([], own)) return own;
  return own ? `${own} ${GATEWAY_SEMI_SPACE_OPTION}` : GATEWAY_SEMI_SPACE_OPTION;
}
