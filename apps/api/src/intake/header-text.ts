/**
 * Node hands a header's bytes over as latin1 (one character per byte), so a tool name
 * sent as UTF-8 (`café`) would read `cafÃ©`. Header values are read as UTF-8 instead
 * (what every client sends); bytes that are not UTF-8 make the value unreadable.
 */
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The header's text read as UTF-8, or undefined when its bytes are not UTF-8. */
export function utf8HeaderValue(value: string): string | undefined {
  // Most values are ASCII, the same in both readings.
  if (/^[\x20-\x7e\t]*$/.test(value)) return value;
  try {
    return decoder.decode(Buffer.from(value, 'latin1'));
  } catch {
    return undefined;
  }
}

/** At most `max` UTF-16 units, never cutting a character in half (a lone surrogate is no text). */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
