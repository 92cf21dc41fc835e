import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// The committed shim, run where `dist` has not been built yet: a repo right after `npm ci`.
describe('bin/warren.js without a build', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'warren-bin-'));
    cpSync(join(__dirname, '..', 'bin'), join(dir, 'bin'), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says to run npm run build, and exits 1 without a stack trace', async () => {
    const result = await promisify(execFile)(process.execPath, [join(dir, 'bin', 'warren.js'), '--version']).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/dist\/src\/bin\.js is missing.*npm run build/s);
    expect(result.stderr).not.toMatch(/MODULE_NOT_FOUND|at Module\./);
  });
});
