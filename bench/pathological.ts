// Analysis time of pathological files at two sizes: a linear cost grows with the size ratio, a quadratic one with its square.
import { defaultConfig } from '../server/src/core/config';
import { Workspace } from '../server/src/core/workspace/workspace';
import { median } from './stats';

const SHAPES: Record<string, (kb: number) => string> = {
  'quoted identifier': (kb) => `create table "${'x'.repeat(kb * 1000)}" (id int);\n`,
  'doubled quotes': (kb) => `create table t ("${'a""'.repeat((kb * 1000) / 3)}" int);\n`,
  'bare identifier': (kb) => `create table ${'x'.repeat(kb * 1000)} (id int);\n`,
  'string literal': (kb) => `insert into t values ('${'x'.repeat(kb * 1000)}');\n`,
};

function analyseMs(sql: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const files = new Map([['a.sql', sql]]);
    const ws = new Workspace({ files: { list: () => [...files.keys()], read: (p) => files.get(p) }, configFor: () => defaultConfig() });
    const t = performance.now();
    ws.analyze('a.sql');
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Median analysis time of each shape at `small` and `large` KB; call initParser first. */
export function benchPathological(small = 90, large = 300, runs = 3): { shape: string; smallMs: number; largeMs: number }[] {
  return Object.entries(SHAPES).map(([shape, make]) => ({ shape, smallMs: analyseMs(make(small), runs), largeMs: analyseMs(make(large), runs) }));
}
