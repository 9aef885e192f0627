// Where the time goes (`caseline bench --breakdown`): every store call of the caseline side is
// timed by repository method, so a slow benchmark names its slow queries. Off by default: the
// wrapping costs a little.
import type { Repos, Store } from '../app/ports/store.ts';

export class CallTimes {
  private readonly calls = new Map<string, { count: number; ms: number }>();

  record(name: string, ms: number): void {
    const entry = this.calls.get(name) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += ms;
    this.calls.set(name, entry);
  }

  /** The calls that took longest in all, longest first. */
  top(n: number): { name: string; count: number; ms: number }[] {
    return [...this.calls]
      .map(([name, e]) => ({ name, ...e }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, n);
  }
}

async function timed<T>(times: CallTimes, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    times.record(name, performance.now() - started);
  }
}

/** The store with each repository call timed (a transaction's time includes its calls). */
export function instrumentStore(store: Store, times: CallTimes): Store {
  const cache = new WeakMap<object, object>();
  const wrap = <T extends object>(target: T, prefix: string): T => {
    const cached = cache.get(target);
    if (cached) return cached as T;
    const proxy = new Proxy(target, {
      get(object, key, receiver) {
        const value: unknown = Reflect.get(object, key, receiver);
        if (typeof key !== 'string') return value;
        const name = `${prefix}${key}`;
        if (typeof value === 'function') {
          if (name === 'transaction') {
            return <R>(fn: (tx: Repos) => Promise<R>) =>
              timed(times, name, () => store.transaction((tx) => fn(wrap(tx, ''))));
          }
          return (...args: unknown[]) =>
            timed(times, name, () => (value as (...a: unknown[]) => Promise<unknown>).apply(object, args));
        }
        if (typeof value === 'object' && value !== null) return wrap(value, `${name}.`);
        return value;
      },
    });
    cache.set(target, proxy);
    return proxy;
  };
  return wrap(store, '');
}
