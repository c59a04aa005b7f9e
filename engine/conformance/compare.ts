/**
 * Compares an expected QTT value with an actual one as ksqlDB's runner
 * does: structurally, numbers equal within 1e-6 (JSON does not keep 1.0
 * apart from 1), decimals written as text equal to the number they spell,
 * objects with the same fields.
 */

const TOLERANCE = 1e-6;

/** null when equal, else a short description of the first difference. */
export function describeDifference(expected: unknown, actual: unknown, path = ''): string | null {
  const at = path === '' ? '' : ` at ${path}`;
  if (expected === null || expected === undefined) {
    return actual === null || actual === undefined ? null : `expected null${at}, got ${JSON.stringify(actual)}`;
  }
  // QTT writes DECIMAL values of schema-registry formats as text ("005.4"): compare them as numbers.
  if (typeof expected === 'string' && typeof actual === 'number' && /^-?\d+\.\d+$/.test(expected)) {
    return Math.abs(Number(expected) - actual) <= TOLERANCE ? null : `expected ${expected}${at}, got ${actual}`;
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return `expected ${expected}${at}, got ${JSON.stringify(actual)}`;
    return Math.abs(expected - actual) <= TOLERANCE * Math.max(1, Math.abs(expected))
      ? null
      : `expected ${expected}${at}, got ${actual}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `expected an array${at}, got ${JSON.stringify(actual)}`;
    if (expected.length !== actual.length)
      return `expected ${JSON.stringify(expected)}${at}, got ${JSON.stringify(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const d = describeDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `expected ${JSON.stringify(expected)}${at}, got ${JSON.stringify(actual)}`;
    }
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
    for (const k of keys) {
      if (!(k in a)) return `missing field ${path}${path ? '.' : ''}${k} in ${JSON.stringify(actual)}`;
      if (!(k in e)) return `unexpected field ${path}${path ? '.' : ''}${k} in ${JSON.stringify(actual)}`;
      const d = describeDifference(e[k], a[k], `${path}${path ? '.' : ''}${k}`);
      if (d) return d;
    }
    return null;
  }
  return expected === actual ? null : `expected ${JSON.stringify(expected)}${at}, got ${JSON.stringify(actual)}`;
}
