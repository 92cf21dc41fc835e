import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// `loadTopologyFile` on a .ts file in a plain Node process, as `warren validate topology.ts` runs it: jest compiles
// .ts itself, so only a child process shows what a user gets. The child uses the built package (`npm test` builds).
const fixtures = join(__dirname, 'fixtures');
const LOAD = `require('@warren/topology').loadTopologyFile(process.argv[1]).then(
  (t) => console.log(JSON.stringify(t.queues.billing.retry)),
  (e) => { console.log(JSON.stringify({ code: e.code, message: e.message })); process.exitCode = 1; })`;

async function loadInChild(hide: string[]): Promise<{ ok: boolean; output: unknown }> {
  const args = ['-r', join(fixtures, 'hide-modules.cjs'), '-e', LOAD, join(fixtures, 'user-topology.ts')];
  const env = { ...process.env, HIDE_MODULES: hide.join(','), NODE_OPTIONS: '' };
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { env, timeout: 30_000 });
    return { ok: true, output: JSON.parse(stdout) };
  } catch (error) {
    return { ok: false, output: JSON.parse((error as { stdout: string }).stdout) };
  }
}

const nodeStripsTypes = Boolean((process.features as { typescript?: string | false }).typescript);

describe('loadTopologyFile with a .ts file, outside jest', () => {
  it('loads it with tsx, without ts-node', async () => {
    const result = await loadInChild(['ts-node']);
    expect(result).toEqual({ ok: true, output: { delays: [5000, 60_000] } });
  }, 30_000);

  it('without tsx, uses Node type stripping where it is on, else says what to install', async () => {
    const result = await loadInChild(['ts-node', 'tsx']);
    if (nodeStripsTypes) expect(result).toEqual({ ok: true, output: { delays: [5000, 60_000] } });
    else {
      expect(result).toEqual({
        ok: false,
        output: { code: 'TOPOLOGY_FILE_ERROR', message: expect.stringContaining('npm i -D tsx') },
      });
    }
  }, 30_000);
});
