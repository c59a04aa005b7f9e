/**
 * Values of SQL types: ksqlDB's CAST rules, coercion of loosely typed input
 * (JSON numbers where a DECIMAL is declared, numeric strings...), and Java's
 * text forms, which ksqlDB's DELIMITED and KAFKA formats and its string
 * casts produce (1.0 rather than 1, 1.0E10 rather than 1e10).
 */
import { formatType, type SqlType } from './sql-type.ts';

/** A value that cannot be converted; the processing log records the reason. */
export class CastError extends Error {
  override name = 'CastError';
}

/** Java's Double.toString. */
export function javaDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Number.POSITIVE_INFINITY) return 'Infinity';
  if (d === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = d.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.replace('+', '')}`;
}

/** BigDecimal.toPlainString of a value at the given scale. */
export function decimalText(value: number, scale: number): string {
  return roundDecimal(value, scale).toFixed(scale);
}

/** HALF_UP rounding to `scale` places, as BigDecimal.setScale(scale, HALF_UP). */
export function roundDecimal(value: number, scale: number): number {
  const factor = 10 ** scale;
  const shifted = Math.abs(value) * factor;
  // Correct for binary representation: 0.125 * 100 = 12.499999...
  const rounded = Math.round(Number(shifted.toPrecision(15)));
  return (Math.sign(value) * rounded) / factor;
}

export function checkDecimal(value: number, precision: number, scale: number): number {
  const rounded = roundDecimal(value, scale);
  const digits = Math.abs(rounded).toFixed(scale).replace('.', '').replace(/^0+/, '').length;
  if (digits > precision) {
    throw new CastError(`Numeric field overflow: value ${rounded} does not fit DECIMAL(${precision}, ${scale})`);
  }
  return rounded;
}

/** The text form ksqlDB gives a value of `type` (CAST(x AS STRING), DELIMITED, string concatenation). */
export function toText(value: unknown, type: SqlType): string {
  switch (type.base) {
    case 'DOUBLE':
      return javaDouble(value as number);
    case 'DECIMAL':
      return decimalText(value as number, type.scale);
    case 'INTEGER':
    case 'BIGINT':
    case 'BOOLEAN':
    case 'STRING':
      return String(value);
    case 'BYTES':
      return (value as Buffer).toString('base64');
    case 'DATE':
      return new Date((value as number) * 86_400_000).toISOString().slice(0, 10);
    case 'TIME':
      return new Date(value as number)
        .toISOString()
        .slice(11, 23)
        .replace(/\.000$/, '');
    case 'TIMESTAMP':
      return new Date(value as number).toISOString().slice(0, 23);
    case 'ARRAY':
      return `[${(value as unknown[]).map((v) => (v === null ? 'null' : toText(v, type.element))).join(', ')}]`;
    case 'MAP':
      return `{${Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}=${v === null ? 'null' : toText(v, type.value)}`)
        .join(', ')}}`;
    case 'STRUCT': {
      const obj = value as Record<string, unknown>;
      const parts = type.fields
        .filter((f) => obj[f.name] !== null && obj[f.name] !== undefined)
        .map((f) => `${f.name}=${toText(obj[f.name], f.type)}`);
      return `Struct{${parts.join(',')}}`;
    }
  }
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** CAST(value AS to) where `value` has type `from`. */
export function castValue(value: unknown, from: SqlType, to: SqlType): unknown {
  if (value === null || value === undefined) return null;
  switch (to.base) {
    case 'STRING':
      return toText(value, from);
    case 'BOOLEAN':
      if (from.base === 'BOOLEAN') return value;
      if (from.base === 'STRING') {
        const s = (value as string).trim().toLowerCase();
        if (s === 'true' || s === 't' || s === 'yes' || s === 'y') return true;
        if (s === 'false' || s === 'f' || s === 'no' || s === 'n') return false;
        throw new CastError(`Cannot cast '${value}' to BOOLEAN`);
      }
      break;
    case 'INTEGER':
    case 'BIGINT': {
      const n = toNumber(value, from, to);
      const t = Math.trunc(n);
      if (to.base === 'INTEGER') return t > INT_MAX || t < INT_MIN ? t | 0 : t;
      return t;
    }
    case 'DOUBLE':
      return toNumber(value, from, to);
    case 'DECIMAL':
      return checkDecimal(toNumber(value, from, to), to.precision, to.scale);
    case 'TIMESTAMP':
      if (from.base === 'TIMESTAMP') return value;
      if (from.base === 'STRING') return parseTimestampText(value as string);
      if (from.base === 'DATE') return (value as number) * 86_400_000;
      break;
    case 'DATE':
      if (from.base === 'DATE') return value;
      if (from.base === 'TIMESTAMP') return Math.floor((value as number) / 86_400_000);
      if (from.base === 'STRING') return Math.floor(parseTimestampText(value as string) / 86_400_000);
      break;
    case 'TIME':
      if (from.base === 'TIME') return value;
      if (from.base === 'TIMESTAMP') return (((value as number) % 86_400_000) + 86_400_000) % 86_400_000;
      if (from.base === 'STRING') return parseTimestampText(`1970-01-01T${value as string}`);
      break;
    case 'BYTES':
      if (from.base === 'BYTES') return value;
      break;
    case 'ARRAY':
      if (from.base === 'ARRAY') return (value as unknown[]).map((v) => castValue(v, from.element, to.element));
      break;
    case 'MAP':
      if (from.base === 'MAP') {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          out[String(castValue(k, from.key, to.key))] = castValue(v, from.value, to.value);
        }
        return out;
      }
      break;
    case 'STRUCT':
      if (from.base === 'STRUCT') {
        const obj = value as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const f of to.fields) {
          const source = from.fields.find((g) => g.name === f.name);
          out[f.name] = source === undefined ? null : castValue(obj[f.name], source.type, f.type);
        }
        return out;
      }
      break;
  }
  throw new CastError(`Cast of ${formatType(from)} to ${formatType(to)} is not supported`);
}

function toNumber(value: unknown, from: SqlType, to: SqlType): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const n = Number(value.trim());
    if (value.trim() === '' || Number.isNaN(n)) throw new CastError(`Cannot cast '${value}' to ${formatType(to)}`);
    return n;
  }
  throw new CastError(`Cast of ${formatType(from)} to ${formatType(to)} is not supported`);
}

/** ISO-8601 text without a zone is UTC, as ksqlDB reads TIMESTAMP strings. */
export function parseTimestampText(text: string): number {
  let s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) s += 'T00:00:00';
  if (!/[zZ]|[+-]\d{2}:?\d{2}$/.test(s)) s += 'Z';
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) throw new CastError(`Cannot parse '${text}' as a TIMESTAMP`);
  return ms;
}

/**
 * Reads a loosely typed value (from JSON, Avro, a test file) as `type`:
 * numbers where numbers are declared, field names matched case-insensitively
 * in structs, strings for STRING whatever the input was (ksqlDB writes
 * non-text JSON as text there).
 */
export function coerce(value: unknown, type: SqlType, path = ''): unknown {
  if (value === null || value === undefined) return null;
  switch (type.base) {
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      break;
    case 'INTEGER':
    case 'BIGINT':
      if (typeof value === 'number') return Math.trunc(value);
      if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
      if (typeof value === 'bigint') return Number(value);
      break;
    case 'DOUBLE':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
      break;
    case 'DECIMAL':
      if (typeof value === 'number') return checkDecimal(value, type.precision, type.scale);
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
        return checkDecimal(Number(value), type.precision, type.scale);
      break;
    case 'STRING':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return JSON.stringify(value);
    case 'BYTES':
      if (Buffer.isBuffer(value)) return value;
      if (typeof value === 'string') return Buffer.from(value, 'base64');
      break;
    case 'TIMESTAMP':
    case 'TIME':
    case 'DATE':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
      break;
    case 'ARRAY':
      if (Array.isArray(value)) return value.map((v, i) => coerce(v, type.element, `${path}[${i}]`));
      break;
    case 'MAP':
      if (typeof value === 'object' && !Array.isArray(value)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>))
          out[k] = coerce(v, type.value, `${path}.${k}`);
        return out;
      }
      break;
    case 'STRUCT':
      if (typeof value === 'object' && !Array.isArray(value)) {
        const byUpper = new Map<string, unknown>();
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          byUpper.set(k, v);
          if (!byUpper.has(k.toUpperCase())) byUpper.set(k.toUpperCase(), v);
        }
        const out: Record<string, unknown> = {};
        for (const f of type.fields) {
          const v = byUpper.has(f.name) ? byUpper.get(f.name) : byUpper.get(f.name.toUpperCase());
          out[f.name] = coerce(v, f.type, `${path}.${f.name}`);
        }
        return out;
      }
      break;
  }
  throw new CastError(
    `Can't convert type. sourceType: ${jsType(value)}, requiredType: ${formatType(type)}${path ? `, path: ${path}` : ''}`,
  );
}

function jsType(value: unknown): string {
  if (Array.isArray(value)) return 'ArrayNode';
  if (typeof value === 'string') return 'TextNode';
  if (typeof value === 'number') return Number.isInteger(value) ? 'IntNode' : 'DoubleNode';
  if (typeof value === 'boolean') return 'BooleanNode';
  return 'ObjectNode';
}
