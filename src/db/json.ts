// JSON columns are text in both dialects.
export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  return JSON.parse(text) as T;
}

export const flag = (value: boolean): number => (value ? 1 : 0);
