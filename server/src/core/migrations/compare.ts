// Ordering keys: numeric-aware compare of names and versions, and Flyway's dotted version compare.

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Digit strings compared by value without Number(): versions can exceed 2^53 (ory uses 20 digits). */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return compareText(x, y);
}

/**
 * Natural order: digit runs compare as numbers (`v2` < `v10`, `1.9` < `1.10`), everything else by code unit.
 * Scans in place: sorting thousands of migration names must not allocate per comparison.
 */
export function compareNatural(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ie = i;
      let je = j;
      while (ie < a.length && isDigit(a.charCodeAt(ie))) ie++;
      while (je < b.length && isDigit(b.charCodeAt(je))) je++;
      while (i < ie - 1 && a.charCodeAt(i) === 48) i++;
      while (j < je - 1 && b.charCodeAt(j) === 48) j++;
      if (ie - i !== je - j) return ie - i - (je - j);
      for (; i < ie; i++, j++) {
        const d = a.charCodeAt(i) - b.charCodeAt(j);
        if (d !== 0) return d;
      }
    } else {
      if (ca !== cb) return ca - cb;
      i++;
      j++;
    }
  }
  const rest = a.length - i - (b.length - j);
  // Equal up to leading zeros: keep the order total and stable.
  return rest !== 0 ? rest : compareText(a, b);
}

/** Plain code-unit order, which is what diesel uses (its versions are compared as strings). */
export function compareLexical(a: string, b: string): number {
  return compareText(a, b);
}

/**
 * Flyway version order: parts split on `.` (underscores in file names become dots) and compared as numbers;
 * missing parts count as 0, so `1` equals `1.0` and `1.10` is after `1.9`.
 */
export function compareFlywayVersion(a: string, b: string): number {
  const xs = a.split('.');
  const ys = b.split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const c = compareDigits(xs[i] ?? '0', ys[i] ?? '0');
    if (c !== 0) return c;
  }
  return 0;
}

/** Paths compare segment by segment, each naturally: `a/x` < `a2/x` < `a10/x`. */
export function comparePaths(a: string, b: string): number {
  const xs = a.split('/');
  const ys = b.split('/');
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const c = compareNatural(xs[i], ys[i]);
    if (c !== 0) return c;
  }
  return xs.length - ys.length;
}
