import { IDENTIFIER_PATTERN, isIdentifier } from './identifier.rules';

describe('identifiers', () => {
  it.each(['ford', 'ft-ford-xiaomi-ev-jv', 'Report_2025.01', 'a', 'x'.repeat(128), '.ford', 'v1..2', '-', '_'])('accept %p', (id) => {
    expect(isIdentifier(id)).toBe(true);
    expect(IDENTIFIER_PATTERN.test(id)).toBe(true);
  });

  it.each(['', 'x'.repeat(129), 'a b', 'a/b', 'ford\n', 'café', 'story?x=1', '%2F', '.', '..', '...', '.'.repeat(128)])('refuse %p', (id) => {
    expect(isIdentifier(id)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isIdentifier(42)).toBe(false);
    expect(isIdentifier(null)).toBe(false);
  });
});
