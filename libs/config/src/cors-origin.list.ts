export const CORS_ORIGIN_LIST_ACCEPTS = 'origins separated by commas, each http(s)://host[:port] with no path or trailing slash (no *)';

/**
 * NEWSROOM_CORS_ORIGINS: each origin exactly as a browser sends it (`https://desk.example.com`,
 * `http://localhost:5173`). No `*`: every route but the health checks answers to a bearer
 * token, which no page of any origin should be handed.
 */
export function parseCorsOriginList(spec: string): { readonly origins: readonly string[] } | { readonly problem: string } {
  const origins: string[] = [];
  for (const [index, raw] of spec.split(',').entries()) {
    const entry = raw.trim();
    if (entry === '') continue;
    let origin: string | undefined;
    try {
      origin = new URL(entry).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== entry || !/^https?:\/\//.test(entry)) return { problem: `entry ${index + 1} (${JSON.stringify(entry.slice(0, 100))}) is not an origin` };
    origins.push(origin);
  }
  return { origins };
}
