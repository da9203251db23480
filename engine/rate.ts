/**
 * Throughput over a sliding window: images/s and MP/s of the last few seconds, and an ETA.
 */
export class RateWindow {
  private readonly marks: Array<{ t: number; mp: number }> = [];

  /** @param windowMs width of the window, default 5000 ms */
  constructor(
    private readonly windowMs = 5000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Record one finished image of `mp` megapixels. */
  add(mp: number): void {
    this.marks.push({ t: this.now(), mp });
    this.trim();
  }

  /**
   * Rates over the window. With fewer than 2 completions the rate is 0.
   *
   * @example
   * const r = new RateWindow(); r.add(12); r.add(12); r.rates() // { imagesPerSec, mpPerSec }
   */
  rates(): { imagesPerSec: number; mpPerSec: number } {
    this.trim();
    if (this.marks.length < 2) return { imagesPerSec: 0, mpPerSec: 0 };
    const span = (this.now() - this.marks[0]!.t) / 1000;
    if (span <= 0) return { imagesPerSec: 0, mpPerSec: 0 };
    // The first mark opens the window; the others are completions inside it.
    const n = this.marks.length - 1;
    const mp = this.marks.slice(1).reduce((a, m) => a + m.mp, 0);
    return { imagesPerSec: n / span, mpPerSec: mp / span };
  }

  private trim(): void {
    const cutoff = this.now() - this.windowMs;
    while (this.marks.length > 2 && this.marks[0]!.t < cutoff) this.marks.shift();
  }
}

/** Seconds left for `remaining` images at `perSec`, or null when no rate is known. */
export function eta(remaining: number, perSec: number): number | null {
  if (perSec <= 0) return null;
  return Math.max(0, remaining / perSec);
}
