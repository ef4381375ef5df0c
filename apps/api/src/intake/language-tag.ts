import languageTags from 'language-tags';
import { MAX_LANGUAGE_TAG_LENGTH } from '@newsroom/domain';

/**
 * BCP 47 language tags checked against the IANA Language Subtag Registry (shipped by
 * `language-subtag-registry`, read through `language-tags`): a tag well-formed but made
 * of unregistered subtags (`zz`, `english`) is refused. Deprecated subtags (`iw`, `in`)
 * and grandfathered tags are refused too: the registry names their replacement.
 */

/** Subtags joined by single hyphens (the package lets `en-` and `en--us` through). */
const SUBTAGS = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;

/** Tags repeat (a newsroom writes in a few languages): each verdict is worked out once. */
const MAX_REMEMBERED = 2_048;
const remembered = new Map<string, string | null>();

/** The tag in the registry's conventional case (`EN` -> `en`, `zh-hant-tw` -> `zh-Hant-TW`), or undefined when it is not a valid tag. */
export function canonicalLanguageTag(tag: string): string | undefined {
  const known = remembered.get(tag);
  if (known !== undefined) return known ?? undefined;
  const canonical = tag.length <= MAX_LANGUAGE_TAG_LENGTH && SUBTAGS.test(tag) ? check(tag) : null;
  // A bound for a hostile stream of distinct tags; forgetting only costs a re-check.
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(tag, canonical);
  return canonical ?? undefined;
}

function check(tag: string): string | null {
  const parsed = languageTags(tag);
  return parsed.valid() ? parsed.format() : null;
}
