// `npm run build` (and `prepare`, so `npm install` builds): src/ compiled to dist/ with esbuild,
// the CLI as one bundle with lazily loaded chunks, which is what `npm start` and `caseline` run.
// One bundle instead of a file per module: Node 20 loads ESM module by module, and resolving
// and reading the ~1,500 files of the sources and their packages took over a second of every
// start (BENCHMARKS.md, "Start-up"). Type checking stays with `npm run typecheck` / `npm test`.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const started = performance.now();
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: [
    'src/cli.ts',
    // The benchmark's child processes (src/paths.ts childModule).
    'src/bench/gateway-process.ts',
    'src/bench/load-process.ts',
  ],
  outdir: 'dist',
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
console.log(`caseline: built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
