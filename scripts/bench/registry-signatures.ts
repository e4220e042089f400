/**
 * What checking a signed registry version costs, side by side with reading it unsigned: a network
 * of N members (default 500) changes one member's name, and a majority signs. Run after a build:
 *   node dist/scripts/bench/registry-signatures.js [members]
 */
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { createKeyPair, publicPart, type PrivateJwk } from '../../common/auth/keys';
import { checkTransition, readRegistryVersion, signRegistryVersion } from '../../common/registry/signed-registry';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 500);
  const keys: PrivateJwk[] = [];
  for (let i = 0; i < n; i++) keys.push((await createKeyPair()).privateJwk);
  const members = keys.map((k, i) => ({ id: `m${i}`, name: `Member ${i}`, region: 'Bench', url: `https://m${i}.example/graphql`, keys: [publicPart(k)] }));
  const accepted = readRegistryVersion(stringify({ network: { id: 'bench', name: 'Bench' }, version: 1, members, gateways: [] }));
  const next = { network: { id: 'bench', name: 'Bench' }, version: 2, members: members.map((m, i) => (i === 0 ? { ...m, name: 'Renamed' } : m)), gateways: [] };
  const unsigned = readRegistryVersion(stringify(next));
  const signers = Math.floor(n / 2) + 1;
  const signatures = await Promise.all(keys.slice(0, signers).map((k, i) => signRegistryVersion(unsigned, `m${i}`, k)));
  const text = stringify({ ...next, signatures });

  const time = async (fn: () => unknown, rounds = 5) => {
    await fn();
    const start = performance.now();
    for (let i = 0; i < rounds; i++) await fn();
    return (performance.now() - start) / rounds;
  };
  const read = await time(() => readRegistryVersion(text));
  const checked = await time(async () => {
    const report = await checkTransition(accepted, readRegistryVersion(text));
    if (!report.acceptable) throw new Error(report.problems.join('; '));
  });
  process.stdout.write(
    `${n} members, ${signers} signatures (${(text.length / 1024).toFixed(0)} KiB)\n` +
      `read and validate only: ${read.toFixed(1)} ms\nread, validate and check the signatures: ${checked.toFixed(1)} ms (${(checked / read).toFixed(1)}x)\n`,
  );
}

void main();
