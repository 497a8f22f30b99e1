/**
 * `value` with `digits` decimals, or as many more as it takes for the printed figure to fall on the same side of
 * `line` as the value: a p99 of 9.96 ms is "met" under 10 ms, and printed as "10.0 ms" it would read as missed.
 */
export const figureBeside = (value: number, line: number, digits: number): string => {
  let shown = digits;
  while (shown < 10 && value < line !== Number(value.toFixed(shown)) < line) shown += 1;
  return value.toFixed(shown);
};
