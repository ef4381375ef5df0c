/**
 * Compiles the storage sources (and these fixtures) to CommonJS in a directory, with the same SWC
 * that jest uses, so that a test can run the real engine in a child process it can SIGKILL.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transformFileSync } from '@swc/core';

const STORAGE_DIR = path.join(__dirname, '..');

export function compileStorageFor(outDir: string): void {
  for (const relative of sources(STORAGE_DIR, '')) {
    const { code } = transformFileSync(path.join(STORAGE_DIR, relative), {
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      module: { type: 'commonjs' },
    });
    const target = path.join(outDir, relative.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, code);
  }
}

function sources(dir: string, prefix: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) return sources(path.join(dir, entry.name), relative);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [relative] : [];
  });
}
