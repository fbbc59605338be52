/**
 * CI runs the suite three times: on Node.js 20 (`npm test`), on Node.js 22 and under a faked
 * clock (`scripts/test-node22.sh`, `scripts/test-awkward-dates.sh`, which set
 * LOJAL_REPEAT_PASS=1). A test whose point is volume rather than the runtime or the date proves
 * its property at full size in the first pass and at a smaller size in the repeats.
 */
export const repeatPass = process.env.LOJAL_REPEAT_PASS === '1';

/** `full` in the first pass, `repeat` in the repeat passes. */
export function sizeForPass(full: number, repeat: number): number {
  return repeatPass ? repeat : full;
}
