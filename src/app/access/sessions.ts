// Console sign-in sessions: signing in with an API key (a project key or the admin key) opens
// a session shared by every server process through the database. Only the SHA-256 of the
// session id is stored, and a session ends as soon as its key is revoked or replaced.
import { randomBytes } from 'node:crypto';
import { ADMIN_KEY_ID, authenticate, hashKey, type Principal } from './keys.ts';
import type { ApiKeyRepo } from '../ports/access.ts';
import type { Clock } from '../ports/clock.ts';
import type { ConsoleSessionRepo } from '../ports/access.ts';

/** How long a console session lasts: 12 hours, in ms. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

export interface SessionDeps {
  keys: ApiKeyRepo;
  sessions: ConsoleSessionRepo;
  clock: Clock;
}

export interface OpenSession {
  /** The secret session id: goes in the cookie, never in the database. */
  id: string;
  principal: Principal;
  expiresAt: number;
}

/** Opens a session for a presented key, or null when the key is unknown or revoked. */
export async function signIn(deps: SessionDeps, presentedKey: string): Promise<OpenSession | null> {
  const key = presentedKey.trim();
  const principal = await authenticate(deps.keys, key);
  if (!principal) return null;
  const now = deps.clock.now();
  await deps.sessions.removeExpired(now);
  const id = randomBytes(32).toString('base64url');
  const expiresAt = now + SESSION_LIFETIME_MS;
  await deps.sessions.insert({ idHash: hashKey(id), keyHash: hashKey(key), createdAt: now, expiresAt });
  return { id, principal, expiresAt };
}

/** Who a session id speaks for, or null when it is unknown, expired or its key no longer valid. */
export async function resumeSession(deps: SessionDeps, id: string): Promise<OpenSession | null> {
  if (id === '' || id.length > 200) return null;
  const found = await deps.sessions.liveKey(hashKey(id), deps.clock.now());
  if (!found) return null;
  const principal: Principal | null =
    found.projectId !== null
      ? { kind: 'project', projectId: found.projectId, keyId: found.keyId }
      : found.keyId === ADMIN_KEY_ID
        ? { kind: 'admin' }
        : null;
  return principal ? { id, principal, expiresAt: found.expiresAt } : null;
}

export async function signOut(deps: SessionDeps, id: string): Promise<void> {
  await deps.sessions.remove(hashKey(id));
}
