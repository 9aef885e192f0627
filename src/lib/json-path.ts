// Reading a value at a simple JSON path (`data.id`, `messages[0].id`) in parsed JSON.

/** The value at a dotted path (`data.id`, `messages[0].id`) of parsed JSON, or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const [, key, index] of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (index !== undefined) {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(index)];
    } else if (
      key !== undefined &&
      typeof current === 'object' &&
      current !== null &&
      !Array.isArray(current)
    ) {
      current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
    } else {
      return undefined;
    }
  }
  return current;
}
