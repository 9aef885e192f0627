// The admin key at the server's start (SPEC 7): CASELINE_ADMIN_KEY when set (it replaces the
// stored one); otherwise the key kept in the data directory, generated at the first start, written
// there with mode 0600 and shown once. Only its hash goes into the database.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ADMIN_KEY_ID, ensureAdminKey, hashKey, newKey } from './app/access/keys.ts';
import { type ApiKeyRepo } from './app/ports/access.ts';
import type { Clock } from './app/ports/clock.ts';
import { adminKeyFile } from './data-dir.ts';
import { PlainError } from './plain-error.ts';

export type AdminKeySource =
  /** CASELINE_ADMIN_KEY. */
  | { kind: 'environment' }
  /** Generated now: shown once, kept in `file`. */
  | { kind: 'generated'; key: string; file: string }
  /** The key kept in `file`; `matches` false when the database holds another one. */
  | { kind: 'file'; file: string; matches: boolean }
  /** The database has one, set earlier (CASELINE_ADMIN_KEY, or before the key file existed). */
  | { kind: 'database' };

export async function provideAdminKey(
  keys: ApiKeyRepo,
  clock: Clock,
  configured: string | null,
  dataDir: string,
): Promise<AdminKeySource> {
  if (configured !== null) {
    await ensureAdminKey(keys, clock, configured);
    return { kind: 'environment' };
  }
  const file = adminKeyFile(dataDir);
  const kept = readKeptKey(file);
  if (kept !== null) {
    if (!(await keys.hasAdmin())) await keys.putAdmin(hashKey(kept), clock.now());
    const stored = await keys.findByHash(hashKey(kept));
    return { kind: 'file', file, matches: stored?.id === ADMIN_KEY_ID && stored.revokedAt === null };
  }
  if (await keys.hasAdmin()) return { kind: 'database' };
  const key = newKey();
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new PlainError(
      `cannot keep the generated admin key in ${file} (${error instanceof Error ? error.message : String(error)})`,
      'make the data directory writable, or set CASELINE_DATA_DIR or CASELINE_ADMIN_KEY',
      { cause: error },
    );
  }
  await keys.putAdmin(hashKey(key), clock.now());
  return { kind: 'generated', key, file };
}

/** The key kept in `file`, or null when there is none. */
export function readKeptKey(file: string): string | null {
  if (!existsSync(file)) return null;
  try {
    const key = readFileSync(file, 'utf8').trim();
    return key === '' ? null : key;
  } catch (error) {
    throw new PlainError(
      `cannot read the admin key kept in ${file} (${error instanceof Error ? error.message : String(error)})`,
      'fix its permissions (chmod 600), or set CASELINE_ADMIN_KEY',
      { cause: error },
    );
  }
}
