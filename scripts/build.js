// `npm run build` (and `prepare`, so `npm install` builds): src/ compiled to dist/ with esbuild,
// the CLI as one bundle with lazily loaded chunks, which is what `npm start` and `caseline` run.
// One bundle instead of a file per module: Node 20 loads ESM module by module, and resolving
// and reading the ~1,500 files of the sources and their packages took over a second of every
// start (BENCHMARKS.md, "Start-up"). Type checking stays with `npm run typecheck` / `npm test`.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * exceljs (2.5 MB with its dependencies) is imported at the top of the console's XLSX export,
 * so a server would load it at every start for an export it may never make. This stands a proxy
 * in its place that loads the package (from node_modules) at its first use.
 */
const lazyExcel = {
  name: 'lazy-exceljs',
  setup(build) {
    build.onResolve({ filter: /^exceljs$/ }, () => ({ path: 'exceljs', namespace: 'lazy' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      loader: 'js',
      contents: `import { createRequire } from 'node:module';
let real;
const load = () => (real ??= createRequire(import.meta.url)('exceljs'));
export default new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });`,
    }));
  },
};

// Another folder for tests of the build (test/build.test.ts); it must be inside this one, where
// the build finds package.json, migrations/ and src/console/.
const outdir = process.argv[2] ?? 'dist';
const started = performance.now();
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [
    'src/cli.ts',
    // The benchmark's child processes (src/paths.ts childModule).
    'src/bench/gateway-process.ts',
    'src/bench/load-process.ts',
    'src/bench/smsc-process.ts',
  ],
  outdir,
  outbase: 'src',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [lazyExcel],
  external: [
    // Native code.
    'better-sqlite3',
    'pg-native',
    // Both read files next to their own code through __dirname (swagger-ui's assets and logo,
    // swagger's package.json), which a bundle does not have.
    '@fastify/swagger',
    '@fastify/swagger-ui',
    // The benchmark's load generator starts worker threads from files beside its own.
    'autocannon',
  ],
  // The packages written as CommonJS call require(), which an ES module does not have.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
console.log(`caseline: built ${outdir}/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
