// CowMap behaves as a Map copied from its base (order included) without changing the base, and commits back exactly.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CowMap, forEachRead, inMapOrder, keysWhere } from './cow-map';

type Box = { n: number };
const clone = (b: Box): Box => ({ ...b });
const plain = (m: Map<string, Box>) => [...m].map(([k, v]) => `${k}=${v.n}`);

/** Applies the same operations to a real Map and to a CowMap; a small seeded generator keeps runs repeatable. */
function drive(seed: number, steps: number, real: Map<string, Box>, cow: Map<string, Box>): void {
  let x = seed;
  const rnd = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
  for (let i = 0; i < steps; i++) {
    const k = `k${rnd(12)}`;
    switch (rnd(4)) {
      case 0:
        real.set(k, { n: i });
        cow.set(k, { n: i });
        break;
      case 1:
        assert.equal(cow.delete(k), real.delete(k));
        break;
      case 2: {
        const a = real.get(k);
        const b = cow.get(k);
        if (a && b) {
          a.n += 1000;
          b.n += 1000;
        }
        assert.equal(!!a, !!b);
        break;
      }
      default:
        assert.equal(cow.has(k), real.has(k));
    }
    assert.equal(cow.size, real.size);
  }
}

describe('CowMap', () => {
  test('a copy matches a copied Map (values, order, size) and leaves its base alone', () => {
    for (let seed = 1; seed < 40; seed++) {
      const root = new CowMap<Box>(undefined, clone);
      const mirror = new Map<string, Box>();
      drive(seed, 30, mirror, root);
      assert.deepEqual(plain(root), plain(mirror));
      const frozen = plain(root);
      const copy = CowMap.over(root, clone);
      const real = new Map([...mirror].map(([k, v]) => [k, clone(v)]));
      drive(seed * 7, 60, real, copy);
      assert.deepEqual(plain(copy), plain(real), `seed ${seed}`);
      assert.deepEqual(plain(root), frozen, 'the base is unchanged');
      // Copies of copies, and key order without a walk.
      const deeper = CowMap.over(copy, clone);
      drive(seed * 13, 40, real, deeper);
      assert.deepEqual(plain(deeper), plain(real));
      const some = [...real.keys()].reverse().slice(0, 3);
      assert.deepEqual(
        inMapOrder(deeper, some),
        [...real.keys()].filter((k) => some.includes(k)),
      );
      // Committing folds the changes into the base, order included.
      const expected = plain(copy);
      copy.commit();
      assert.deepEqual(plain(root), expected);
    }
  });

  test('forEachRead and keysWhere give what peek gives, in key order, over roots, copies and copies of copies, cloning nothing', () => {
    for (let seed = 1; seed < 30; seed++) {
      const root = new CowMap<Box>(undefined, clone);
      drive(seed, 30, new Map(), root);
      const copy = CowMap.over(root, clone);
      drive(seed * 7, 40, new Map([...root].map(([k, v]) => [k, clone(v)])), copy);
      const deeper = CowMap.over(copy, clone, () => true);
      drive(seed * 13, 40, new Map([...copy].map(([k, v]) => [k, clone(v)])), deeper);
      for (const m of [root, copy, deeper, new Map(root)]) {
        const touched = m instanceof CowMap ? [...m.touched()] : [];
        const expected = [...m.keys()].map((k) => [k, m instanceof CowMap ? m.peek(k) : m.get(k)]);
        const each: [string, Box | undefined][] = [];
        forEachRead(m, (v, k) => each.push([k, v]));
        assert.deepEqual(each, expected, `seed ${seed}`);
        // Changes through `get` add 1000: the second test tells a changed value from its base's.
        for (const test of [(v: Box) => v.n % 2 === 0, (v: Box) => v.n >= 1000]) {
          assert.deepEqual(
            keysWhere(m, test),
            expected.filter(([, v]) => test(v!)).map(([k]) => k),
          );
        }
        if (m instanceof CowMap) assert.deepEqual([...m.touched()], touched, 'reading clones nothing');
      }
    }
  });

  test('iteration shares base values unless told to clone them', () => {
    const base = new Map([
      ['a', { n: 1 }],
      ['b', { n: 2 }],
    ]);
    const shared = CowMap.over(base, clone);
    assert.equal([...shared.values()][0], base.get('a'));
    const cloned = CowMap.over(base, clone, (k) => k === 'b');
    const [a, b] = [...cloned.values()];
    assert.equal(a, base.get('a'));
    assert.notEqual(b, base.get('b'));
    assert.equal(cloned.get('b'), b, 'the clone handed out is the one kept');
    assert.deepEqual([...cloned.touched()], ['b']);
  });
});
