import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// The house rule (README, "Architecture"): dependencies point one way, core ← topology ← the rest, and the
// publisher needs core only. A new package must be given its place here before it can land.
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  topology: ['core'],
  publisher: ['core'],
  consumer: ['core', 'topology'],
  // A scheduler reads its schedules from the topology file; it publishes through the publisher it is given.
  scheduler: ['core', 'topology'],
  cli: ['core', 'topology'],
  testing: ['core', 'topology'],
};
const ROOT = join(__dirname, '..');
const PACKAGES = join(ROOT, 'packages');
const packageNames = readdirSync(PACKAGES).filter((name) => statSync(join(PACKAGES, name)).isDirectory());

interface Manifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const manifestOf = (name: string): Manifest =>
  JSON.parse(readFileSync(join(PACKAGES, name, 'package.json'), 'utf8')) as Manifest;
const warrenNames = (deps: Record<string, string> | undefined): string[] =>
  Object.keys(deps ?? {})
    .filter((dep) => dep.startsWith('@warren/'))
    .map((dep) => dep.slice('@warren/'.length));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `file: @warren/x` for every import, export-from, dynamic import or require of a Warren package. */
function warrenImports(dir: string): { file: string; target: string }[] {
  const pattern = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]@warren\/([a-z-]+)/g;
  return sourceFiles(dir).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(pattern)].map((m) => ({ file: relative(ROOT, file), target: m[1]! })),
  );
}

describe('the dependency order core ← topology ← the rest', () => {
  it('knows every package', () => {
    expect(packageNames.filter((name) => !(name in ALLOWED))).toEqual([]);
  });

  it.each(packageNames)('@warren/%s: package.json depends only on what it may', (name) => {
    const manifest = manifestOf(name);
    const runtime = [
      ...warrenNames(manifest.dependencies),
      ...warrenNames(manifest.peerDependencies),
      ...warrenNames(manifest.optionalDependencies),
    ];
    expect(runtime.filter((dep) => !ALLOWED[name]!.includes(dep))).toEqual([]);
    // Tests may also use @warren/testing; nothing may point back up the order, even for tests.
    const dev = warrenNames(manifest.devDependencies);
    expect(dev.filter((dep) => dep !== 'testing' && !ALLOWED[name]!.includes(dep))).toEqual([]);
  });

  it.each(packageNames)('@warren/%s: its src/ imports only what it may', (name) => {
    const wrong = warrenImports(join(PACKAGES, name, 'src')).filter(
      ({ target }) => target !== name && !ALLOWED[name]!.includes(target),
    );
    expect(wrong).toEqual([]);
  });
});
