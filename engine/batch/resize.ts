/**
 * Resize requests coalesced: a burst of them (a slider dragged, a script) becomes one resize,
 * to the latest size asked, {@link COALESCE_MS} after the first of the burst.
 */

/** How long requests are gathered before the latest is applied. */
export const COALESCE_MS = 50;

export class Coalescer {
  private pending: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param apply called with the latest size of each burst
   * @example
   * const c = new Coalescer((n) => pool.resize(n)); c.request(4); c.request(1); // one resize, to 1
   */
  constructor(
    private readonly apply: (size: number) => void,
    private readonly ms = COALESCE_MS,
  ) {}

  request(size: number): void {
    this.pending = size;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const n = this.pending;
      this.pending = undefined;
      if (n !== undefined) this.apply(n);
    }, this.ms);
  }

  /** Drop a request not applied yet. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }
}
