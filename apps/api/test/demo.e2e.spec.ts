// `npm run demo` against a running api: it records the seed story and says what was
// recorded; with no api listening it says so and fails.
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { AccessTokens } from '../src/auth/access-tokens';
import { DEV_WRITER_TOKEN } from '../../cli/src/demo.defaults';
import { runDemo } from '../../cli/src/demo.runner';
import { TOKENS, closedPort, readStory, useNewsroom } from './support/api.harness';

jest.setTimeout(30_000);

const newsroom = useNewsroom();

it('given a running api, when the demo runs twice, then each run records the whole seed story on a story of its own', async () => {
  const lines: string[] = [];
  const first = await runDemo({ apiUrl: newsroom.url, token: TOKENS.writer, out: (line) => lines.push(line) });
  const second = await runDemo({ apiUrl: newsroom.url, token: TOKENS.writer, out: () => undefined });

  expect(first.ok).toBe(true);
  expect(second.ok).toBe(true);
  expect(second.storyId).not.toBe(first.storyId);
  expect(first.answers.map((a) => a.revision)).toEqual(SEED_STORY_EVENTS.map((_, i) => i));
  const stored = await readStory(newsroom.client, first.storyId);
  expect(stored.map((e) => e.type)).toEqual(SEED_STORY_EVENTS.map((e) => e.type));
  expect(stored.map((e) => (e.metadata as { tool?: string }).tool)).toEqual(SEED_STORY_EVENTS.map(() => 'newsroom-ledger demo'));
  const output = lines.join('\n');
  for (const answer of first.answers) expect(output).toContain(`revision ${answer.revision}, position ${answer.position}`);
  expect(output).toContain('Financial Times');
  expect(output).toContain('Four people familiar with the matter');
  expect(output).toContain(JSON.stringify(first.answers[first.answers.length - 1], null, 2));
});

it('given no api listening, when the demo runs, then it says the api is unreachable and fails', async () => {
  const port = await closedPort();
  const lines: string[] = [];

  const outcome = await runDemo({ apiUrl: `http://127.0.0.1:${port}`, token: TOKENS.writer, out: (line) => lines.push(line) });

  expect(outcome.ok).toBe(false);
  expect(lines.join('\n')).toMatch(/not reachable \(ECONNREFUSED\)/);
});

it('given a token that is not a writer, when the demo runs, then it stops at the first refusal and says why', async () => {
  const lines: string[] = [];
  const outcome = await runDemo({ apiUrl: newsroom.url, token: TOKENS.reader, out: (line) => lines.push(line) });

  expect(outcome.ok).toBe(false);
  expect(outcome.answers).toEqual([]);
  expect(lines.join('\n')).toMatch(/refused: 403/);
});

it("the demo's default token is a writer among the api's development tokens", () => {
  expect(AccessTokens.parse(undefined).principalOf(DEV_WRITER_TOKEN)?.roles.has('writer')).toBe(true);
});
