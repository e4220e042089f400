import { join } from 'node:path';
import { invocationDir } from './invocation-dir';
import { repoRoot } from './repo-root';

describe('invocationDir', () => {
  const root = repoRoot();
  it('is INIT_CWD when npm started the command in the package root', () => {
    expect(invocationDir({ npm_lifecycle_event: 'infrared', INIT_CWD: '/home/ana/network' }, root)).toBe('/home/ana/network');
  });
  it('is the current directory otherwise', () => {
    expect(invocationDir({}, '/home/ana/network')).toBe('/home/ana/network');
    expect(invocationDir({ INIT_CWD: '/elsewhere' }, root)).toBe(root);
  });
  it('ignores an INIT_CWD inherited by a process started somewhere else', () => {
    expect(invocationDir({ npm_lifecycle_event: 'test', INIT_CWD: '/elsewhere' }, join(root, 'docs'))).toBe(join(root, 'docs'));
  });
});
