// What every use case is handed: the store and the clock. main.ts and the runner build it.
import type { Clock, Store } from './ports.ts';

export interface Deps {
  store: Store;
  clock: Clock;
}
