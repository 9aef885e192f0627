// API keys (SPEC 7): one admin key for global resources, and per-project keys that only ever
// reach their own project. Only a key's SHA-256 is stored; the key itself is shown once.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../ports/clock.ts';
import type { Store } from '../ports/store.ts';
import type { ApiKeyRecord, ApiKeyRepo } from '../ports/access.ts';
import { requireProject } from '../projects/projects.ts';

export const ADMIN_KEY_ID = 'admin';

/** Who a request speaks for. */
export type Principal = { kind: 'admin' } | { kind: 'project'; projectId: string; keyId: string };

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new secret: `cl_` and 32 random bytes in base64url (43 characters). */
export function newKey(): string {
  return `cl_${randomBytes(32).toString('base64url')}`;
}

/** The principal a presented key stands for, or null for an unknown or revoked key. */
export async function authenticate(keys: ApiKeyRepo, presented: string): Promise<Principal | null> {
  if (presented === '' || presented.length > 512) return null;
  const hash = hashKey(presented);
  const record = await keys.findByHash(hash);
  // The lookup is by hash; compare again in constant time so a hash index quirk never matches a prefix.
  if (!record || record.revokedAt !== null || !safeEqual(record.keyHash, hash)) return null;
  if (record.projectId === null) return record.id === ADMIN_KEY_ID ? { kind: 'admin' } : null;
  return { kind: 'project', projectId: record.projectId, keyId: record.id };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Makes sure an admin key exists. A configured key (CASELINE_ADMIN_KEY) replaces the stored one;
 * without one, a key is generated at the first start and returned so the caller prints it once.
 */
export async function ensureAdminKey(
  keys: ApiKeyRepo,
  clock: Clock,
  configured: string | null,
): Promise<{ generated: string | null }> {
  if (configured !== null && configured !== '') {
    await keys.putAdmin(hashKey(configured), clock.now());
    return { generated: null };
  }
  if (await keys.hasAdmin()) return { generated: null };
  const key = newKey();
  await keys.putAdmin(hashKey(key), clock.now());
  return { generated: key };
}

/** Creates a key for one project; the key is in the answer and nowhere else. */
export async function createProjectKey(
  deps: { store: Store; clock: Clock; keys: ApiKeyRepo },
  projectId: string,
  name: string | null,
): Promise<{ record: ApiKeyRecord; key: string }> {
  const project = await requireProject(deps.store, projectId);
  const key = newKey();
  const record: ApiKeyRecord = {
    id: `key_${randomBytes(6).toString('hex')}`,
    projectId: project.id,
    keyHash: hashKey(key),
    name,
    createdAt: deps.clock.now(),
    revokedAt: null,
  };
  await deps.keys.insert(record);
  return { record, key };
}
