// /docs in a real browser (Debian's Chromium, headless, kept off the network), with no token:
// Swagger UI renders every route of the document, and its Authorize button for the bearer scheme.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CHROMIUM, CHROMIUM_ARGS } from '../../dashboard/test/support/browser';
import { get, TOKENS, useNewsroom } from './support/api.harness';

jest.setTimeout(120_000);

const newsroom = useNewsroom();

/** The page's DOM once its scripts have run (the browser's clock runs ahead until it is idle, at most 15 s). */
async function renderedDom(url: string): Promise<string> {
  const { stdout } = await promisify(execFile)(CHROMIUM, [...CHROMIUM_ARGS, '--virtual-time-budget=15000', '--dump-dom', url], {
    timeout: 90_000,
    maxBuffer: 32 * 1024 * 1024,
  });
  return stdout;
}

describe('/docs in a browser', () => {
  it('when a browser with no token opens /docs, then Swagger UI lists every route and offers Authorize for the bearer token', async () => {
    const document = await get(newsroom, '/docs/json', TOKENS.reader);
    const dom = await renderedDom(`${newsroom.url}/docs`);

    const shown = [...dom.matchAll(/class="opblock-summary-path" data-path="([^"]+)"/g)].map((match) => match[1]);
    expect(shown.sort()).toEqual(Object.keys(document.body.paths).sort());
    expect(dom).toMatch(/class="btn authorize[^"]*"/);
  });
});
