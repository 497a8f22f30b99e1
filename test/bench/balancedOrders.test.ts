import { expect } from 'chai';
import { balancedOrders } from '../../bench/balancedOrders.js';

/** How often each item comes at each position, and how often each ordered pair comes one right after the other. */
const tally = (orders: readonly (readonly string[])[]) => {
  const atPosition = new Map<string, number>();
  const followed = new Map<string, number>();
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const order of orders) {
    order.forEach((item, position) => {
      count(atPosition, `${item}@${position}`);
      if (position > 0) count(followed, `${order[position - 1]}>${item}`);
    });
  }
  return { atPosition, followed };
};

const letters = (n: number): string[] => Array.from({ length: n }, (_, index) => String.fromCharCode(97 + index));

describe("the bench's saturation order", () => {
  for (const n of [2, 3, 4, 5, 6, 7]) {
    it(`with ${n} servers, puts each at every position, and right after every other, equally often`, () => {
      const servers = letters(n);
      const orders = balancedOrders(servers);
      const times = n % 2 === 0 ? 1 : 2;

      expect(orders).to.have.length(n * times);
      for (const order of orders) expect([...order].sort()).to.deep.equal(servers);
      const { atPosition, followed } = tally(orders);
      expect(atPosition.size).to.equal(n * n);
      expect([...new Set(atPosition.values())]).to.deep.equal([times]);
      expect(followed.size, 'every ordered pair of two servers').to.equal(n * (n - 1));
      expect([...new Set(followed.values())]).to.deep.equal([times]);
    });
  }

  it('unlike a rotation, does not always put a server right after the same one', () => {
    const rotation = letters(6).map((_, shift, all) => all.map((__, i) => all[(i + shift) % all.length]!));
    expect(tally(rotation).followed.size, 'each after its one predecessor in the list').to.equal(6);
    expect(tally(balancedOrders(letters(6))).followed.size).to.equal(30);
  });
});
