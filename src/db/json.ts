// JSON columns are text in both dialects.
export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  return JSON.parse(text) as T;
}

/** parseJson, with the fallback for text that is not JSON either. */
export function parseJsonOr<T>(text: string | null, fallback: T): T {
  try {
    return parseJson(text, fallback);
  } catch {
    return fallback;
  }
}

export const flag = (value: boolean): number => (value ? 1 : 0);
