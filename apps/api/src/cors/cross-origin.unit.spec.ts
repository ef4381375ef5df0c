import { CorsOriginsConfigError, parseCorsOrigins } from './cross-origin';

describe('NEWSROOM_CORS_ORIGINS', () => {
  it('when unset or blank, then no origin is allowed', () => {
    for (const unset of [undefined, '', '  ', ' , ']) expect(parseCorsOrigins(unset)).toEqual([]);
  });

  it('when it lists origins, then each is allowed as a browser sends it', () => {
    expect(parseCorsOrigins(' https://desk.example.com, http://localhost:5173 ,http://127.0.0.1:8080')).toEqual([
      'https://desk.example.com',
      'http://localhost:5173',
      'http://127.0.0.1:8080',
    ]);
  });

  it.each(['*', 'desk.example.com', 'https://desk.example.com/', 'https://desk.example.com/board', 'ftp://desk.example.com', 'HTTPS://Desk.example.com'])(
    'when an entry is %s, then start-up stops with a message naming the entry',
    (entry) => {
      expect(() => parseCorsOrigins(`http://localhost:5173,${entry}`)).toThrow(CorsOriginsConfigError);
      expect(() => parseCorsOrigins(`http://localhost:5173,${entry}`)).toThrow(/NEWSROOM_CORS_ORIGINS entry 2/);
    },
  );
});
