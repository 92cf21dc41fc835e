import { parseTopologyText } from '../src/file/load';

// A "billion laughs" document: each level references the one before ten times.
const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
for (let level = 1; level < 6; level++) {
  const prev = String.fromCharCode(96 + level);
  const name = String.fromCharCode(97 + level);
  laughs.push(`${name}: &${name} [${Array.from({ length: 10 }, () => `*${prev}`).join(', ')}]`);
}

describe('a YAML file with too many aliases', () => {
  it('is a TopologyFileError with a hint, not an unexpected ReferenceError', () => {
    let error: unknown;
    try {
      parseTopologyText(laughs.join('\n'), 'laughs.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'TOPOLOGY_FILE_ERROR', file: 'laughs.yaml' });
    expect((error as Error).message).toMatch(/aliases.*1,000/);
  });
});
