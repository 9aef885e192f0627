// Configuration the inbound pipeline reads on every request — the receiving gateway, projects
// (settings, texts) and a project's keywords — kept in memory per store (issue #19). Its
// freshness is checked once a request with store.configVersion(), one tiny statement: triggers
// bump that number in the same transaction as any write to those tables, by any process, so a
// keyword just created answers the very next inbound, on any server sharing the database. A
// time-to-live would not do: SPEC 5 gives no window in which a change may go unseen.
//
// Races: the version is read before anything is loaded under it, so what a view loads is at
// least as new as its version; a view that lost a race to a newer version loads for itself and
// is not kept. Rows are loaded through the caller's repositories (inside its transaction: on
// SQLite the store's one connection is held there).
import { keywordKey } from '../domain/commands.ts';
import type { KeywordRecord } from './ports/inbound-repos.ts';
import type { GatewayRecord, ProjectRecord } from './ports/records.ts';
import type { Repos, Store } from './ports/store.ts';

/** Configuration as of one version check; records are shared between requests: never mutate them. */
export interface ConfigView {
  /** The gateway of that id, or null (an unknown id is read again each time, never kept). */
  gateway(repos: Repos, id: string): Promise<GatewayRecord | null>;
  project(repos: Repos, id: string): Promise<ProjectRecord | null>;
  /** A project's keywords by their key (trimmed, upper case). */
  keywords(repos: Repos, projectId: string): Promise<ReadonlyMap<string, KeywordRecord>>;
}

interface Generation {
  version: number;
  gateways: Map<string, Promise<GatewayRecord | null>>;
  projects: Map<string, Promise<ProjectRecord | null>>;
  keywords: Map<string, Promise<ReadonlyMap<string, KeywordRecord>>>;
}

const newest = new WeakMap<Store, Generation>();

/** The configuration as of now: one statement, then whatever this version has not yet loaded.
 *  Call it outside a transaction (it reads through the store itself). */
export async function currentConfig(store: Store): Promise<ConfigView> {
  const version = await store.configVersion();
  let generation = newest.get(store);
  if (!generation || generation.version !== version) {
    const fresh: Generation = { version, gateways: new Map(), projects: new Map(), keywords: new Map() };
    // An older version read late (a request that started before a change) must not replace the
    // newer one: it gets a generation of its own, forgotten with it.
    if (!generation || generation.version < version) newest.set(store, fresh);
    generation = fresh;
  }
  return viewOf(generation);
}

function viewOf(generation: Generation): ConfigView {
  return {
    // An unknown gateway is not kept: gateway ids come from the network.
    gateway: (repos, id) =>
      remember(
        generation.gateways,
        id,
        () => repos.gateways.get(id),
        (gateway) => gateway !== null,
      ),
    project: (repos, id) => remember(generation.projects, id, () => repos.projects.get(id)),
    keywords: (repos, projectId) =>
      remember(generation.keywords, projectId, async () => {
        const all = await repos.keywords.all(projectId);
        return new Map(all.map((keyword) => [keywordKey(keyword.keyword), keyword]));
      }),
  };
}

/** The value kept under key, or load() kept there when keep() allows. A load that fails is
 *  forgotten, and whoever shared it loads again through its own repositories. */
function remember<T>(
  map: Map<string, Promise<T>>,
  key: string,
  load: () => Promise<T>,
  keep: (value: T) => boolean = () => true,
): Promise<T> {
  const kept = map.get(key);
  if (kept) return kept.catch(load);
  // Frozen: one request changing a shared record would change it for every later one.
  const loading = load().then(deepFreeze);
  map.set(key, loading);
  loading.then(
    (value) => keep(value) || map.delete(key),
    () => map.delete(key),
  );
  return loading;
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  // A Map's entries are not its properties: its values are frozen one by one.
  if (value instanceof Map) for (const entry of value.values()) deepFreeze(entry);
  for (const property of Object.values(value)) deepFreeze(property);
  return Object.freeze(value);
}
