import { truncateText, utf8HeaderValue } from './header-text';

/** A header as Node hands it over: each byte of the UTF-8 text one latin1 character. */
const asNodeReadsIt = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe('header text', () => {
  it('reads a header sent as UTF-8 as the text the tool sent', () => {
    for (const tool of ['café-desk/1.0', 'Редакция 2', '編集ツール', 'desk \u{1F4F0}', 'plain-ascii/1.2 (linux)']) {
      expect(utf8HeaderValue(asNodeReadsIt(tool))).toBe(tool);
    }
  });

  it('finds no text in bytes that are not UTF-8 (latin1 é, a cut sequence)', () => {
    expect(utf8HeaderValue(Buffer.from([0x63, 0x61, 0x66, 0xe9]).toString('latin1'))).toBeUndefined();
    expect(utf8HeaderValue(Buffer.from([0x41, 0xe2, 0x82]).toString('latin1'))).toBeUndefined();
  });

  it('cuts long text without splitting a character in two', () => {
    expect(truncateText('abcdef', 4)).toBe('abcd');
    expect(truncateText('abc\u{1F4F0}def', 4)).toBe('abc');
    expect(truncateText('abc\u{1F4F0}def', 5)).toBe('abc\u{1F4F0}');
    expect(truncateText('short', 200)).toBe('short');
  });
});
