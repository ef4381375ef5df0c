import { Upcasters } from './event-upcast';

describe('upcasting old event shapes', () => {
  const upcasters = new Upcasters([
    {
      type: 'SourceCited',
      fromVersion: 1,
      upcast: (data) => ({ count: 1, ...(data as object) }),
    },
    {
      type: 'SourceCited',
      fromVersion: 2,
      upcast: (data) => ({ ...(data as object), upcastTwice: true }),
    },
  ]);

  it('writes each type at its latest version', () => {
    expect(upcasters.currentVersion('SourceCited')).toBe(3);
    expect(upcasters.currentVersion('ReportPublished')).toBe(1);
  });

  it('brings a v1 event through every step, and leaves a current one alone', () => {
    expect(upcasters.upcast('SourceCited', { sourceId: 'ft-people' }, 1)).toEqual({
      count: 1,
      sourceId: 'ft-people',
      upcastTwice: true,
    });
    expect(upcasters.upcast('SourceCited', { sourceId: 'ft-people' }, 3)).toEqual({ sourceId: 'ft-people' });
  });

  it('refuses a chain with a gap', () => {
    expect(() => new Upcasters([{ type: 'X', fromVersion: 2, upcast: (d) => d }])).toThrow(/skip v1/);
  });
});
