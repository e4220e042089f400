import { libraryNodeEnv } from './library-mode';

describe('libraryNodeEnv', () => {
  it('is production when NODE_ENV is unset or empty', () => {
    expect(libraryNodeEnv({}, ['node', 'infrared', 'member', 'start'])).toBe('production');
    expect(libraryNodeEnv({ NODE_ENV: '' }, ['node', 'infrared', 'gateway', 'start'])).toBe('production');
  });

  it("keeps the operator's NODE_ENV, whatever it is", () => {
    expect(libraryNodeEnv({ NODE_ENV: 'development' }, ['node', 'infrared', 'gateway', 'start'])).toBe('development');
    expect(libraryNodeEnv({ NODE_ENV: 'test' }, ['node', 'infrared', 'member', 'start'])).toBe('test');
  });

  it('leaves NODE_ENV unset under --dev', () => {
    expect(libraryNodeEnv({}, ['node', 'infrared', 'gateway', 'start', '--dev'])).toBeUndefined();
  });
});
