/**
 * The writer token among the api's development tokens (DEV_TOKENS in the api's
 * access-tokens.ts, used when NEWSROOM_TOKENS is unset), so `npm start` then
 * `npm run demo` works with no setup. The api's e2e tests hold the two together.
 */
export const DEV_WRITER_TOKEN = 'dev-writer';
