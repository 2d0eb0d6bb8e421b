/**
 * Like `Promise.all(items.map(fn))` but with at most `limit` calls in flight. Reading ten
 * thousand images at once would open ten thousand files and queue as many jobs on sharp's
 * small thread pool; a bounded number keeps the pool busy without exhausting descriptors.
 * Results keep the order of `items`; the first rejection rejects the whole call.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (err) {
        failed = true; // stop the other workers from starting more work
        throw err;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}
