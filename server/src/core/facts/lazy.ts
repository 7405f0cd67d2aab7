// Fact fields computed on first read: token-precise ranges cost a scan, and most facts are never reported.

/**
 * Makes `key` of `obj` a property computed by `compute` on its first read (after that an ordinary value). It stays
 * enumerable and writable, so spreading, comparing or assigning the object works as with a plain field.
 */
export function lazyField<T extends object, K extends keyof T>(obj: T, key: K, compute: () => T[K]): T {
  Object.defineProperty(obj, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = compute();
      Object.defineProperty(obj, key, { value, configurable: true, enumerable: true, writable: true });
      return value;
    },
    set(value: T[K]) {
      Object.defineProperty(obj, key, { value, configurable: true, enumerable: true, writable: true });
    },
  });
  return obj;
}

/** A function that computes its value once, on its first call. */
export function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}
