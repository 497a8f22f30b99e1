/**
 * The orders in which the saturation rounds visit the servers: a Williams design. Over the rounds every server
 * runs at every position equally often, and right after every other server equally often, so neither going
 * first (after the baseline's pause from HTTP load) nor following one particular server favours any of them.
 * A plain rotation does neither in fewer rounds than servers, and always puts each server after the same one.
 *
 * For an even count the first order is 0, 1, n−1, 2, n−2, …, each later one adds 1 modulo n: n orders. For an
 * odd count those n orders balance only with their mirror images as well: 2n orders.
 */
export const balancedOrders = <T>(items: readonly T[]): T[][] => {
  const n = items.length;
  const first = Array.from({ length: n }, (_, j) => (j % 2 === 1 ? (j + 1) / 2 : (n - j / 2) % n));
  const orders = Array.from({ length: n }, (_, shift) => first.map((index) => items[(index + shift) % n]!));
  return n % 2 === 0 ? orders : [...orders, ...orders.map((order) => [...order].reverse())];
};
