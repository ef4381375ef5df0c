// The desk's api types are generated from the api's OpenAPI document; a change to one
// without the other would let the page and the api drift apart unnoticed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const apiDir = path.join(repoRoot, 'apps', 'dashboard', 'src', 'api');

describe("the dashboard's generated api types", () => {
  it('are what openapi-typescript makes of the committed OpenAPI document (else run npm run openapi:types)', () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'newsroom-schema-'));
    try {
      const generated = path.join(scratch, 'schema.d.ts');
      // Its package exports no path to the command: the installed copy's own file.
      const cli = path.join(repoRoot, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
      execFileSync(process.execPath, [cli, path.join(apiDir, 'openapi.json'), '-o', generated], { stdio: 'pipe' });
      expect(readFileSync(path.join(apiDir, 'schema.d.ts'), 'utf8')).toBe(readFileSync(generated, 'utf8'));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
