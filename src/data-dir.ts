// The data directory (SPEC 7 "Configuration"): where the embedded database and the generated
// admin key live, the same for the server and every CLI command whatever the current folder.
import { userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * CASELINE_DATA_DIR (made absolute from the current folder once, here), else
 * $XDG_DATA_HOME/caseline, else ~/.local/share/caseline. XDG_DATA_HOME counts only when
 * absolute, as the XDG base directory specification says.
 */
export function dataDirectory(env: NodeJS.ProcessEnv): string {
  if (env.CASELINE_DATA_DIR) return resolve(env.CASELINE_DATA_DIR);
  const xdg = env.XDG_DATA_HOME;
  // The user's home from the password database when HOME is unset, empty or relative: the
  // directory must never depend on the current folder.
  const home = env.HOME && isAbsolute(env.HOME) ? env.HOME : userInfo().homedir;
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'share');
  return join(base, 'caseline');
}

/** The embedded database's file in a data directory. */
export const databaseFile = (dataDir: string): string => join(dataDir, 'caseline.db');

/** The file keeping the admin key generated at the first start (mode 0600). */
export const adminKeyFile = (dataDir: string): string => join(dataDir, 'admin-key');
