import { join } from 'node:path';
import {
  loadTopologyFile,
  parseTopologyText,
  TopologyFileError,
  TopologyValidationError,
  type TopologyIssue,
} from '../src';

const fixture = (name: string): string => join(__dirname, 'fixtures', name);

async function rejection<T extends Error>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected a rejection');
}

const withoutMessages = (issues: readonly TopologyIssue[]) =>
  issues.map(({ path, line, column }) => ({ path, line, column }));

describe('loadTopologyFile: YAML', () => {
  it('loads the sample topology', async () => {
    const topology = await loadTopologyFile(fixture('valid.yaml'));
    expect(Object.keys(topology.queues)).toEqual(['billing.order-created', 'audit.log']);
    expect(topology.queues['billing.order-created']?.retry).toEqual({ delays: [1000, 10_000, 60_000] });
    expect(topology.queues['audit.log']?.limits.messageTtl).toBe(3_600_000);
    expect(topology.vhost).toBe('/');
  });

  it('reports every issue with its path, line and column, shape errors and broken references together', async () => {
    const error = await rejection<TopologyValidationError>(loadTopologyFile(fixture('invalid.yaml')));
    expect(error).toBeInstanceOf(TopologyValidationError);
    expect(error.code).toBe('TOPOLOGY_INVALID');
    expect(error.source).toBe(fixture('invalid.yaml'));
    expect(withoutMessages(error.issues)).toEqual([
      { path: 'queues.billing.deadLetter', line: 4, column: 3 },
      { path: 'queues.billing.bindings[0].exchange', line: 6, column: 9 },
      { path: 'queues.billing.limits.maxLenght', line: 9, column: 7 },
      { path: 'queues.billing.retry.delays[1]', line: 11, column: 20 },
    ]);
    expect(error.message).toContain(`The topology in ${fixture('invalid.yaml')} has 4 problems:`);
    expect(error.message).toContain('line 9: queues.billing.limits.maxLenght: unknown key "maxLenght"; did you mean');
    expect(error.message).toContain('line 6: queues.billing.bindings[0].exchange: exchange "ordrs" is not declared');
  });

  it('reports a YAML syntax error with its line', () => {
    const error = (() => {
      try {
        return parseTopologyText('queues:\n  billing:\n    type: quorum\n   retry: { delays: [1s] }\n', 'broken.yaml');
      } catch (e) {
        return e;
      }
    })() as TopologyValidationError;
    expect(error).toBeInstanceOf(TopologyValidationError);
    expect(error.issues[0]?.line).toBe(4);
    expect(error.issues[0]?.message).toMatch(/fix the YAML\/JSON syntax/);
    expect(error.message).toContain('The topology in broken.yaml has 1 problem:');
  });

  it('reports duplicate keys, which would otherwise hide a queue', () => {
    const error = (() => {
      try {
        return parseTopologyText('queues:\n  a: {}\n  a: { type: classic }\n');
      } catch (e) {
        return e;
      }
    })() as TopologyValidationError;
    expect(error).toBeInstanceOf(TopologyValidationError);
    expect(error.issues[0]).toMatchObject({ line: 3 });
    expect(error.issues[0]?.message).toMatch(/unique/i);
  });

  it('follows aliases when locating an issue', () => {
    const text = ['defaults: &limits', '  maxLength: ten', 'queues:', '  a: { limits: *limits }', ''].join('\n');
    const error = (() => {
      try {
        return parseTopologyText(text.replace('defaults', 'x-defaults'));
      } catch (e) {
        return e;
      }
    })() as TopologyValidationError;
    const issue = error.issues.find((i) => i.path === 'queues.a.limits.maxLength');
    expect(issue?.line).toBe(2);
  });

  it('supports anchors and merge keys, with top-level x- keys as a place for them', () => {
    const text = [
      'x-quorum: &retrying',
      '  retry: { delays: [1s, 1m] }',
      '  limits: { maxLength: 100 }',
      'queues:',
      '  a: { <<: *retrying }',
      '  b:',
      '    <<: *retrying',
      '    limits: { maxLength: 5 }',
      '',
    ].join('\n');
    const topology = parseTopologyText(text);
    expect(topology.queues.a).toMatchObject({ retry: { delays: [1000, 60_000] }, limits: { maxLength: 100 } });
    expect(topology.queues.b).toMatchObject({ retry: { delays: [1000, 60_000] }, limits: { maxLength: 5 } });
    expect(topology).not.toHaveProperty('x-quorum');
  });

  it('reads an empty file as an invalid topology, not a crash', () => {
    expect(() => parseTopologyText('')).toThrow(TopologyValidationError);
  });
});

describe('loadTopologyFile: JSON', () => {
  it('locates issues by line in JSON too', async () => {
    const error = await rejection<TopologyValidationError>(loadTopologyFile(fixture('invalid.json')));
    expect(withoutMessages(error.issues)).toEqual([
      { path: 'queues.billing.bindings[0].exchange', line: 5, column: 22 },
      { path: 'queues.billing.deadLeter', line: 6, column: 7 },
    ]);
    expect(error.issues[1]?.message).toContain('did you mean "deadLetter"?');
  });
});

describe('loadTopologyFile: modules', () => {
  it('loads a CommonJS module whose exports are the topology', async () => {
    const topology = await loadTopologyFile(fixture('topology.cjs'));
    expect(topology.queues.billing?.retry).toEqual({ delays: [1000] });
  });

  it('loads a named `topology` export', async () => {
    const topology = await loadTopologyFile(fixture('named-export.js'));
    expect(topology.queues.billing?.type).toBe('classic');
  });

  it('loads the default export of a TypeScript module', async () => {
    const topology = await loadTopologyFile(fixture('default-export.ts'));
    expect(topology.queues.billing?.retry).toEqual({ delays: [5000, 60_000] });
  });

  it('validates a module, reporting paths without lines', async () => {
    const error = await rejection<TopologyValidationError>(loadTopologyFile(fixture('invalid-module.cjs')));
    expect(error.issues).toEqual([{ path: 'queues.billing.type', message: 'expected `type`: quorum or classic' }]);
  });

  it('wraps a module that throws in TOPOLOGY_FILE_ERROR', async () => {
    const error = await rejection<TopologyFileError>(loadTopologyFile(fixture('throws.cjs')));
    expect(error).toBeInstanceOf(TopologyFileError);
    expect(error.code).toBe('TOPOLOGY_FILE_ERROR');
    expect(error.message).toContain('boom while loading');
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe('loadTopologyFile: files it cannot read', () => {
  it('reports a missing file', async () => {
    const error = await rejection<TopologyFileError>(loadTopologyFile(fixture('missing.yaml')));
    expect(error.code).toBe('TOPOLOGY_FILE_ERROR');
    expect(error.file).toBe(fixture('missing.yaml'));
    expect(error.message).toMatch(/Cannot read topology file .*missing\.yaml: ENOENT/);
  });

  it('reports an unsupported extension and lists the supported ones', async () => {
    const error = await rejection<TopologyFileError>(loadTopologyFile(fixture('topology.toml')));
    expect(error.code).toBe('TOPOLOGY_FILE_ERROR');
    expect(error.message).toContain('.yaml, .yml, .json, .js, .cjs');
  });
});
