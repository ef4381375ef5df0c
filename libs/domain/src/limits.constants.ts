/**
 * Size limits for what tools may post, for the api's DTOs (and 413 answers).
 * They are generous for real newsroom material and stop abuse: a story stream
 * is folded on every post and held in memory by every api replica, so no single
 * event may be unbounded. Lengths count UTF-16 code units (JavaScript `length`).
 */

/** DESIGN.md: identifiers are at most 128 characters. */
export const MAX_IDENTIFIER_LENGTH = 128;

/** Longest BCP 47 tag to accept: RFC 5646 §4.4.1 asks implementations to handle at least 35 characters. */
export const MAX_LANGUAGE_TAG_LENGTH = 35;

/** A report names its checkable claims; even a long investigation lists a few dozen. */
export const MAX_CLAIMS_PER_REPORT = 50;

/** Entities a claim is about: a deal or a dispute between a handful of parties, a consortium at most. */
export const MAX_SUBJECTS_PER_CLAIM = 20;

/** A claim's statement or a company's quote: a paragraph or two, never a whole article. */
export const MAX_STATEMENT_LENGTH = 2_000;

/** Headlines run to one or two lines; 300 leaves room for long-form and non-Latin scripts. */
export const MAX_HEADLINE_LENGTH = 300;

/** An outlet's or a company's name. */
export const MAX_NAME_LENGTH = 200;

/** The de facto URL limit of browsers and CDNs. */
export const MAX_URL_LENGTH = 2_048;

/** How a source is described ("four people familiar with the matter"). */
export const MAX_DESCRIPTION_LENGTH = 500;

/** A correction notice or a retraction's reason: an editor's note, a few paragraphs. */
export const MAX_NOTE_LENGTH = 5_000;

/** People behind one cited source; a survey or petition is a document, not a source count. */
export const MAX_SOURCE_COUNT = 1_000;

/** Claims one source supports, or one company response denies or confirms: at most a report's claims. */
export const MAX_CLAIM_REFERENCES = MAX_CLAIMS_PER_REPORT;

/** Events in one atomic post: a report with its sources and responses fits many times over. */
export const MAX_EVENTS_PER_POST = 100;
