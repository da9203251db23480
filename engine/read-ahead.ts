/**
 * Pull an async iterable ahead of its consumer, at most `depth` items, so that a worker that
 * finishes a file finds the next one already scanned (each scan entry costs an open, a stat
 * and a read) instead of waiting for it. Memory stays bounded by `depth`.
 */

/**
 * @param depth items kept ready (default 8)
 * @example
 * for await (const entry of readAhead(scan(['/photos']), 8)) dispatch(entry);
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth = 8): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const ready: Promise<IteratorResult<T>>[] = [];
  let ended = false;
  const fill = () => {
    while (!ended && ready.length < depth) {
      const next = it.next();
      ready.push(next);
      // A generator serialises its own next() calls, so results arrive in order.
      next.then((r) => (ended ||= !!r.done), () => (ended = true));
    }
  };
  try {
    for (;;) {
      fill();
      const r = await ready.shift()!;
      if (r.done) return;
      yield r.value;
    }
  } finally {
    if (!ended) await it.return?.();
  }
}
