// Where the package's own files are, the same whether the code runs as sources (tsx, src/*.ts)
// or compiled (dist/, one bundle with its chunks): files read at run time (migrations, console
// views) are found from the package root, never relative to the module that reads them.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The folder holding package.json, migrations/ and src/. */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** True when this code runs compiled from dist/ rather than as sources through tsx. */
export const COMPILED = import.meta.url.endsWith('.js');

/** A path under the package root. */
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);

/**
 * A module of src/ to run in a child process (`module` without extension, e.g.
 * 'bench/gateway-process'): its compiled file in dist/ when this code runs compiled, else the
 * source with tsx's loader.
 */
export function childModule(module: string): { path: string; execArgv: string[] } {
  return COMPILED
    ? { path: packagePath('dist', `${module}.js`), execArgv: [] }
    : { path: packagePath('src', `${module}.ts`), execArgv: ['--import', import.meta.resolve('tsx')] };
}
