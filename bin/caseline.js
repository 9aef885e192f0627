#!/usr/bin/env node
// The `caseline` command. It runs the compiled build (dist/, made by `npm run build`, which
// `npm install` runs). In a checkout whose dist/ is missing or older than a source file, it runs
// the sources through tsx instead, after saying so: slower to start, never stale.
import { readdirSync, readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const args = process.argv.slice(2);

// Answered here, before anything else loads: the version is a question a script asks often.
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  console.log(`caseline ${version}`);
  process.exit(0);
}
// --debug: stack traces point into src/ through the build's source maps.
if (args.includes('--debug')) process.setSourceMapsEnabled(true);

function mtime(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return null;
  }
}

/** Why dist/ cannot be run (missing, or older than a source file), or null when it can. */
function staleness() {
  const built = mtime(new URL('dist/cli.js', root));
  if (built === null) return 'dist/ is missing';
  const src = new URL('src/', root);
  let names;
  try {
    names = readdirSync(src, { recursive: true });
  } catch {
    return null; // an installed copy without its sources
  }
  // Only the TypeScript is compiled: views and assets are read from src/ as they are.
  for (const name of names) {
    if (name.endsWith('.ts') && (mtime(new URL(name, src)) ?? 0) > built)
      return `src/${name} is newer than dist/`;
  }
  return null;
}

const stale = staleness();
if (stale === null) {
  await import(new URL('dist/cli.js', root).href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error(`caseline: ${stale} and tsx is not installed to run the sources — run npm run build`);
    process.exit(1);
  }
  console.error(`caseline: ${stale}; running the sources (slower start) — npm run build compiles them`);
  register();
  await import(new URL('src/cli.ts', root).href);
}
