import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { parseRegistry, RegistryError } from '../../../common/registry/load-registry';
import { CliError } from '../cli-error';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Validate a registry file (network.yaml) or a member data file, and print clear findings.')
    .argument('<file>', 'network.yaml or a member data file')
    .addHelpText('after', '\nExamples:\n  $ infrared check network.yaml\n  $ infrared check demo/members/kafshata.yaml')
    .action((file: string) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DataFileError, parseMemberData } = require('../../../subgraphs/member/src/import/import-member-data') as typeof import('../../../subgraphs/member/src/import/import-member-data');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const top = parseDocument(text).toJS() as Record<string, unknown> | null;
      try {
        if (top && 'network' in top) {
          const registry = parseRegistry(text, file);
          const keyless = registry.members.filter((m) => m.keys.length === 0).map((m) => m.id);
          process.stdout.write(`${file}: valid registry for network "${registry.network.id}": ${registry.members.length} members, ${registry.gateways.length} gateways\n`);
          if (keyless.length) process.stdout.write(`warning: no pinned keys for ${keyless.join(', ')}: their tokens cannot be verified\n`);
          if (registry.gateways.length === 0) process.stdout.write('warning: no gateways listed: members will answer every sub-request as anonymous\n');
        } else {
          const member = typeof top?.member === 'string' ? top.member : '';
          const data = parseMemberData(text, member);
          process.stdout.write(`${file}: valid data file for member "${data.member}": ${data.services.length} services, ${data.projects.length} projects\n`);
        }
      } catch (err) {
        if (err instanceof RegistryError || err instanceof DataFileError) {
          const problems = err.problems;
          throw new CliError(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`, 2);
        }
        throw err;
      }
    });
}
