import { randomUUID } from 'node:crypto';

/**
 * Every name a test writes is unique to this run, so the suite can share a
 * long-lived real server with earlier runs and other writers.
 */
export const RUN = randomUUID().replace(/-/g, '').slice(0, 10);

let counter = 0;

/** A fresh stream name: `<prefix>_<run>_<n>` (no `-`, which real servers read as a category separator). */
export function uniqueStream(prefix = 'contract'): string {
  counter += 1;
  return `${prefix}_${RUN}_${counter}`;
}

/** A prefix shared by names made from it, and by no other run: for prefix and regex filters. */
export function uniquePrefix(label: string): string {
  counter += 1;
  return `${label}${RUN}n${counter}`;
}
