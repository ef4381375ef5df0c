import { canonicalLanguageTag } from './language-tag';

describe('language tags', () => {
  it.each([
    ['en', 'en'],
    ['EN', 'en'],
    ['id', 'id'],
    ['pt-br', 'pt-BR'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['ZH-HANS-CN', 'zh-Hans-CN'],
    ['sr-latn', 'sr-Latn'],
    ['es-419', 'es-419'],
    ['de-CH-1996', 'de-CH-1996'],
    ['en-US-x-twain', 'en-US-x-twain'],
  ])('accept %p as %p, the registry’s case', (tag, canonical) => {
    expect(canonicalLanguageTag(tag)).toBe(canonical);
  });

  it.each(['zz', 'english', 'xx-YY', 'en-UK', 'en-Abcd', '', 'en_US', 'en-', '-en', 'en--us', 'en US', 'x'.repeat(40), 'ąę'])(
    'refuse %p: well-formed or not, it is not made of registered subtags',
    (tag) => {
      expect(canonicalLanguageTag(tag)).toBeUndefined();
    },
  );

  it('gives the same answer the second time (remembered verdicts)', () => {
    expect(canonicalLanguageTag('Zh-hant-tw')).toBe('zh-Hant-TW');
    expect(canonicalLanguageTag('Zh-hant-tw')).toBe('zh-Hant-TW');
    expect(canonicalLanguageTag('zz')).toBeUndefined();
    expect(canonicalLanguageTag('zz')).toBeUndefined();
  });
});
