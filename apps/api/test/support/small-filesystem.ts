// A real small file system for the disk tests: a tmpfs of a few hundred kilobytes mounted on a
// fresh temporary directory. Mounting needs root (as in CI); elsewhere the tests that need it say
// why they did not run instead of failing.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface SmallFilesystem {
  readonly dir: string;
  /** Remounts it read-only or read-write (its files stay). */
  remount(mode: 'ro' | 'rw'): void;
  /** Fills every free byte with one file; returns a function that frees the space again. */
  fill(): () => void;
  unmount(): void;
}

/** Mounts a tmpfs of `bytes`, or answers why it cannot be mounted here. */
export function mountSmallFilesystem(bytes: number): SmallFilesystem | { readonly unavailable: string } {
  if (process.getuid?.() !== 0) return { unavailable: 'mounting a tmpfs needs root (CI runs as root)' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-small-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    fs.rmdirSync(dir);
    return { unavailable: `mount -t tmpfs failed: ${(error as { stderr?: Buffer }).stderr?.toString().trim() || String(error)}` };
  }
  return {
    dir,
    remount(mode) {
      execFileSync('mount', ['-o', `remount,${mode}`, dir], { stdio: 'pipe' });
    },
    fill() {
      const filler = path.join(dir, 'filler');
      const fd = fs.openSync(filler, 'w');
      const chunk = Buffer.alloc(4096, 0x61);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOSPC') throw error;
      }
      // The last partial chunk: tmpfs may still hold a few bytes.
      try {
        for (;;) fs.writeSync(fd, chunk, 0, 1);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOSPC') throw error;
      } finally {
        fs.closeSync(fd);
      }
      return () => fs.rmSync(filler, { force: true });
    },
    unmount() {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      fs.rmdirSync(dir);
    },
  };
}
