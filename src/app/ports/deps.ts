// What every use case is handed: the store and the clock. main.ts and the runner build it.
import type { Clock } from './clock.ts';
import type { Store } from './store.ts';

export interface Deps {
  store: Store;
  clock: Clock;
  /** Where due work reports an item it marked in error (the worker's logger); optional. */
  log?: { error(obj: object, msg: string): void };
}
