// Every source map and declaration map in the installed packages points at a source file that shipped with it.
const fs = require('node:fs');
const path = require('node:path');

const packages = fs.readdirSync('node_modules/@warren').map((name) => path.join('node_modules/@warren', name));
const maps = packages.flatMap((dir) =>
  fs
    .readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith('.map'))
    .map((file) => path.join(dir, file)),
);
const missing = maps.flatMap((map) =>
  JSON.parse(fs.readFileSync(map, 'utf8'))
    .sources.map((source) => path.resolve(path.dirname(map), source))
    .filter((source) => !fs.existsSync(source))
    .map((source) => `${map} -> ${path.relative('.', source)}`),
);
if (missing.length > 0) {
  console.error(
    `source maps point at files the tarballs do not ship (stale dist/? npx tsc -b --clean):\n${missing.join('\n')}`,
  );
  process.exit(1);
}
console.log(`maps: ${maps.length} source and declaration maps, every source shipped`);
