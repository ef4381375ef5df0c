import { AccessTokenConfigError, AccessTokens } from './access-tokens';

describe('NEWSROOM_TOKENS', () => {
  it('gives each token its roles, and a principal that does not reveal the token', () => {
    const tokens = AccessTokens.parse('desk-key=writer, audit-key=reader+auditor ,b64==key==writer');
    expect([...tokens.principalOf('desk-key')!.roles]).toEqual(['writer']);
    expect([...tokens.principalOf('audit-key')!.roles]).toEqual(['reader', 'auditor']);
    // A token may itself hold "=" (base64 padding): the roles follow the last one.
    expect([...tokens.principalOf('b64==key=')!.roles]).toEqual(['writer']);
    expect(tokens.principalOf('desk-key')!.name).toMatch(/^token:[0-9a-f]{12}$/);
    expect(tokens.principalOf('desk-key')!.name).not.toContain('desk');
    expect(tokens.principalOf('nobody')).toBeUndefined();
    expect(tokens.development).toBe(false);
  });

  it('takes the metrics role, for a scraper that may read /metrics and nothing else', () => {
    const tokens = AccessTokens.parse('prom-key=metrics');
    expect([...tokens.principalOf('prom-key')!.roles]).toEqual(['metrics']);
    expect(AccessTokens.parse(undefined).principalOf('dev-metrics')?.roles).toEqual(new Set(['metrics']));
    expect(AccessTokens.parse(undefined).principalOf('dev-newsroom')?.roles.has('metrics')).toBe(true);
  });

  it('falls back to the development tokens when unset or blank, and says so', () => {
    for (const unset of [undefined, '', '   ']) {
      const tokens = AccessTokens.parse(unset);
      expect(tokens.development).toBe(true);
      expect(tokens.principalOf('dev-writer')?.roles.has('writer')).toBe(true);
    }
  });

  it('refuses a malformed entry without echoing any token', () => {
    for (const spec of ['just-a-token', 'k=', '=writer', 'k=editor', 'k=writer,k=reader', 'a b=writer']) {
      expect(() => AccessTokens.parse(spec)).toThrow(AccessTokenConfigError);
    }
    try {
      AccessTokens.parse('secret-value=editor');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-value');
    }
  });
});
