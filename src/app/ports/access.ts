// Access ports: where API keys and console sign-in sessions are kept (db/repos/api-keys.ts,
// db/console-sessions.ts). Only hashes are stored.

export interface ApiKeyRecord {
  id: string;
  /** null: the admin key. */
  projectId: string | null;
  /** Hex SHA-256 of the key. */
  keyHash: string;
  name: string | null;
  createdAt: number;
  revokedAt: number | null;
}

/** Where keys live (db/repos/api-keys.ts). */
export interface ApiKeyRepo {
  /** The key with this hash, revoked or not. */
  findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  insert(record: ApiKeyRecord): Promise<void>;
  /** Stores the admin key's hash under the id `admin`, replacing the previous one. */
  putAdmin(keyHash: string, now: number): Promise<void>;
  hasAdmin(): Promise<boolean>;
  /** A project's keys, oldest first, revoked ones included. */
  forProject(projectId: string): Promise<ApiKeyRecord[]>;
  /** Revokes one of a project's keys; false when the project has no such key. */
  revoke(projectId: string, id: string, now: number): Promise<boolean>;
  /** A page of a project's keys by id; revoked ones only when asked. */
  page(
    projectId: string,
    page: { cursor?: string; limit: number; revoked: boolean },
  ): Promise<{ items: ApiKeyRecord[]; nextCursor: string | null }>;
  /** One of a project's keys that is not revoked, or null. */
  live(projectId: string, id: string): Promise<ApiKeyRecord | null>;
  /** Renames one of a project's live keys; false when there is none such. */
  rename(projectId: string, id: string, name: string | null): Promise<boolean>;
}

export interface ConsoleSessionRecord {
  /** Hex SHA-256 of the session id (the cookie's value). */
  idHash: string;
  /** Hex SHA-256 of the key it was opened with, as in api_keys. */
  keyHash: string;
  createdAt: number;
  expiresAt: number;
}

/** Where sessions live (db/console-sessions.ts). */
export interface ConsoleSessionRepo {
  insert(record: ConsoleSessionRecord): Promise<void>;
  /** The key record of an unexpired session whose key is still valid (not revoked, not replaced). */
  liveKey(
    idHash: string,
    now: number,
  ): Promise<{ keyId: string; projectId: string | null; expiresAt: number } | null>;
  remove(idHash: string): Promise<void>;
  /** Drops sessions that expired at or before now; returns how many. */
  removeExpired(now: number): Promise<number>;
}
