// A bounded list: what the dashboard and the server's run page keep of a live stream.

/** Keep the last `capacity` items (all of them when capacity is null). */
export function keepLast<T>(items: T[], capacity: number | null): T[] {
  return capacity === null || items.length <= capacity ? items : items.slice(items.length - capacity);
}
