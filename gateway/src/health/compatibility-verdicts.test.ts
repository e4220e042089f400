import type { Compatibility } from '../../../schema/compatibility';
import { CompatibilityVerdicts } from './compatibility-verdicts';

describe('CompatibilityVerdicts', () => {
  const counting = (verdict: (sdl: string) => Compatibility | Error) => {
    const calls: string[] = [];
    const verdicts = new CompatibilityVerdicts(async (sdl) => {
      calls.push(sdl);
      await new Promise((resolve) => setImmediate(resolve));
      const result = verdict(sdl);
      if (result instanceof Error) throw result;
      return result;
    });
    return { calls, verdicts };
  };

  it('checks one SDL text once, for every member that serves it, even while the first check runs', async () => {
    const { calls, verdicts } = counting(() => ({ compatible: true, problems: [] }));
    const all = await Promise.all(Array.from({ length: 500 }, () => verdicts.check('type Query { services: [Service!]! }')));
    expect(all.every((v) => v.compatible)).toBe(true);
    await verdicts.check('type Query { services: [Service!]! }');
    expect(calls).toHaveLength(1);
  });

  it('checks a different SDL text on its own, with its own verdict', async () => {
    const { calls, verdicts } = counting((sdl) => (sdl.includes('incidents') ? { compatible: true, problems: [] } : { compatible: false, problems: ['Field incidents was removed'] }));
    await expect(verdicts.check('type Query { incidents: [Incident!]! }')).resolves.toEqual({ compatible: true, problems: [] });
    await expect(verdicts.check('type Query { services: [Service!]! }')).resolves.toEqual({ compatible: false, problems: ['Field incidents was removed'] });
    // one character more is another text
    await expect(verdicts.check('type Query { incidents: [Incident!]! } ')).resolves.toMatchObject({ compatible: true });
    expect(calls).toHaveLength(3);
  });

  it('does not remember a check that failed: the next round checks again', async () => {
    let fail = true;
    const { calls, verdicts } = counting(() => (fail ? new Error('diff crashed') : { compatible: true, problems: [] }));
    await expect(verdicts.check('type Query { a: Int }')).rejects.toThrow('diff crashed');
    fail = false;
    await expect(verdicts.check('type Query { a: Int }')).resolves.toEqual({ compatible: true, problems: [] });
    expect(calls).toHaveLength(2);
  });
});
