/**
 * ksqlDB's aggregate functions. Nulls are skipped unless said otherwise;
 * `undo` exists where ksqlDB allows the function on a table source.
 */
import { array, BIGINT, DOUBLE, formatType, map, type SqlType, STRING, struct } from '../types/sql-type.ts';
import { roundDecimal } from '../types/values.ts';
import { type AggregateFunction, type Aggregation, FunctionError } from './registry.ts';

const first = (args: readonly SqlType[], name: string): SqlType => {
  const t = args[0];
  if (t === undefined) throw new FunctionError(`Function '${name}' requires an argument.`);
  return t;
};

const numericOnly = (name: string, t: SqlType) => {
  if (!['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL'].includes(t.base)) {
    throw new FunctionError(`Function '${name}' does not accept parameters (${formatType(t)}).`);
  }
};

export const COUNT: AggregateFunction = {
  name: 'COUNT',
  returnType: () => BIGINT,
  create: (types) => {
    const star = types.length === 0;
    return {
      initial: () => 0,
      add: (acc, args) => (star || args[0] !== null ? (acc as number) + 1 : acc),
      undo: (acc, args) => (star || args[0] !== null ? (acc as number) - 1 : acc),
      merge: (a, b) => (a as number) + (b as number),
      result: (acc) => acc,
    };
  },
};

export const SUM: AggregateFunction = {
  name: 'SUM',
  returnType: (args) => {
    const t = first(args, 'SUM');
    numericOnly('SUM', t);
    return t;
  },
  create: (types) => {
    const t = types[0] as SqlType;
    const norm = (v: number) => (t.base === 'DECIMAL' ? roundDecimal(v, t.scale) : t.base === 'INTEGER' ? v | 0 : v);
    return {
      initial: () => 0,
      add: (acc, args) => (args[0] === null ? acc : norm((acc as number) + (args[0] as number))),
      undo: (acc, args) => (args[0] === null ? acc : norm((acc as number) - (args[0] as number))),
      merge: (a, b) => norm((a as number) + (b as number)),
      result: (acc) => acc,
    };
  },
};

export const AVG: AggregateFunction = {
  name: 'AVG',
  complexIntermediate: true,
  returnType: (args) => {
    numericOnly('AVG', first(args, 'AVG'));
    return DOUBLE;
  },
  create: () => ({
    initial: () => [0, 0],
    add: (acc, args) => {
      const [s, c] = acc as [number, number];
      return args[0] === null ? acc : [s + (args[0] as number), c + 1];
    },
    undo: (acc, args) => {
      const [s, c] = acc as [number, number];
      return args[0] === null ? acc : [s - (args[0] as number), c - 1];
    },
    merge: (a, b) => [(a as number[])[0]! + (b as number[])[0]!, (a as number[])[1]! + (b as number[])[1]!],
    result: (acc) => {
      const [s, c] = acc as [number, number];
      return c === 0 ? 0 : s / c;
    },
  }),
};

function extreme(name: 'MIN' | 'MAX'): AggregateFunction {
  const better =
    name === 'MIN' ? (a: unknown, b: unknown) => compare(a, b) < 0 : (a: unknown, b: unknown) => compare(a, b) > 0;
  return {
    name,
    returnType: (args) => {
      const t = first(args, name);
      if (!['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'DATE', 'TIME', 'TIMESTAMP', 'BYTES'].includes(t.base))
        throw new FunctionError(`Function '${name}' does not accept parameters (${formatType(t)}).`);
      return t;
    },
    create: () => ({
      initial: () => null,
      add: (acc, args) => (args[0] === null ? acc : acc === null || better(args[0], acc) ? args[0] : acc),
      merge: (a, b) => (a === null ? b : b === null ? a : better(b, a) ? b : a),
      result: (acc) => acc,
    }),
  };
}

export function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const MIN = extreme('MIN');
export const MAX = extreme('MAX');

/** LATEST_BY_OFFSET(col [, n] [, ignoreNulls]) and EARLIEST_BY_OFFSET: the value(s) by arrival order. */
function byOffset(name: string, latest: boolean): AggregateFunction {
  return {
    name,
    constantArgs: 2,
    returnType: (args) => {
      const t = first(args, name);
      const n = args[1];
      if (n !== undefined && n.base === 'INTEGER') return array(t);
      return t;
    },
    create: (types, constants) => {
      const n = types[1]?.base === 'INTEGER' ? (constants[0] as number) : null;
      const ignoreNulls = ((n === null ? constants[0] : constants[1]) ?? true) as boolean;
      if (n !== null && n <= 0) throw new FunctionError(`${name} must return at least one element.`);
      // Entries carry their arrival order, so that merged session windows keep the right ones.
      let sequence = 0;
      type Entry = { seq: number; v: unknown };
      const keep = (entries: Entry[]): Entry[] => {
        const sorted = [...entries].sort((x, y) => x.seq - y.seq);
        return latest ? sorted.slice(-(n ?? 1)) : sorted.slice(0, n ?? 1);
      };
      return {
        initial: () => [],
        add: (acc, args) => {
          const v = args[0] ?? null;
          if (v === null && ignoreNulls) return acc;
          const entries = acc as Entry[];
          if (n === null && entries.length <= 1) {
            // One value kept (the usual call): what keep() gives, without its copies and sort.
            const old = entries[0];
            if (old !== undefined && old.seq + 1 > sequence) sequence = old.seq + 1;
            const entry = { seq: sequence++, v };
            return latest || old === undefined ? [entry] : [old];
          }
          // Also past what a restored accumulator holds, so that order survives a restart.
          sequence = Math.max(sequence, ...entries.map((e) => e.seq + 1));
          return keep([...entries, { seq: sequence++, v }]);
        },
        merge: (a, b) => keep([...(a as Entry[]), ...(b as Entry[])]),
        result: (acc) => {
          const values = (acc as Entry[]).map((e) => e.v);
          return n === null ? (values[0] ?? null) : values;
        },
      } satisfies Aggregation;
    },
  };
}

export const LATEST_BY_OFFSET = byOffset('LATEST_BY_OFFSET', true);
export const EARLIEST_BY_OFFSET = byOffset('EARLIEST_BY_OFFSET', false);

function collect(name: 'COLLECT_LIST' | 'COLLECT_SET'): AggregateFunction {
  const set = name === 'COLLECT_SET';
  return {
    name,
    returnType: (args) => array(first(args, name)),
    create: (_types, _constants, config) => {
      const limit = Number(config[`ksql.functions.${name.toLowerCase()}.limit`] ?? 1000);
      const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
      return {
        initial: () => [],
        add: (acc, args) => {
          const list = acc as unknown[];
          const v = args[0] ?? null;
          if (set && (v === null || list.some((x) => same(x, v)))) return acc;
          if (list.length >= limit) return acc;
          return [...list, v];
        },
        undo: (acc, args) => {
          const list = [...(acc as unknown[])];
          const i = list.findIndex((x) => same(x, args[0] ?? null));
          if (i >= 0) list.splice(i, 1);
          return list;
        },
        merge: (a, b) => {
          let out = a as unknown[];
          for (const v of b as unknown[]) if (!set || !out.some((x) => same(x, v))) out = [...out, v];
          return out.slice(0, limit);
        },
        result: (acc) => acc,
      };
    },
  };
}

export const COLLECT_LIST = collect('COLLECT_LIST');
export const COLLECT_SET = collect('COLLECT_SET');

export const HISTOGRAM: AggregateFunction = {
  name: 'HISTOGRAM',
  returnType: (args) => {
    const t = first(args, 'HISTOGRAM');
    if (t.base !== 'STRING')
      throw new FunctionError(`Function 'HISTOGRAM' does not accept parameters (${formatType(t)}).`);
    return map(STRING, BIGINT);
  },
  create: () => ({
    initial: () => ({}),
    add: (acc, args) => {
      if (args[0] === null) return acc;
      const k = args[0] as string;
      const m = acc as Record<string, number>;
      return { ...m, [k]: (m[k] ?? 0) + 1 };
    },
    undo: (acc, args) => {
      if (args[0] === null) return acc;
      const k = args[0] as string;
      const m = { ...(acc as Record<string, number>) };
      const n = (m[k] ?? 0) - 1;
      if (n <= 0) delete m[k];
      else m[k] = n;
      return m;
    },
    result: (acc) => acc,
  }),
};

export const COUNT_DISTINCT: AggregateFunction = {
  name: 'COUNT_DISTINCT',
  returnType: () => BIGINT,
  create: () => ({
    initial: () => [],
    add: (acc, args) => {
      if (args[0] === null) return acc;
      const k = JSON.stringify(args[0]);
      const list = acc as string[];
      return list.includes(k) ? list : [...list, k];
    },
    result: (acc) => (acc as string[]).length,
  }),
};

function topK(name: 'TOPK' | 'TOPKDISTINCT'): AggregateFunction {
  return {
    name,
    constantArgs: 1,
    trailingConstants: true,
    complexIntermediate: true,
    returnType: (args) => {
      const t = first(args, name);
      if (!['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING'].includes(t.base))
        throw new FunctionError(`Function '${name}' does not accept parameters (${formatType(t)}).`);
      // TOPK(col, other..., k): the other columns ride along as a struct {sort_col, col0, ...}.
      const others = args.slice(1, -1);
      if (others.length === 0) return array(t);
      return array(struct([{ name: 'sort_col', type: t }, ...others.map((o, i) => ({ name: `col${i}`, type: o }))]));
    },
    create: (types, constants) => {
      const k = constants[0] as number;
      const withOthers = types.length > 2;
      const sortValue = (v: unknown) => (withOthers ? (v as Record<string, unknown>).sort_col : v);
      return {
        initial: () => [],
        add: (acc, args) => {
          if (args[0] === null) return acc;
          const entry = withOthers
            ? Object.fromEntries([['sort_col', args[0]], ...args.slice(1).map((v, i) => [`col${i}`, v])])
            : args[0];
          const list = acc as unknown[];
          if (name === 'TOPKDISTINCT' && list.some((x) => compare(sortValue(x), args[0]) === 0)) return acc;
          return [...list, entry].sort((a, b) => compare(sortValue(b), sortValue(a))).slice(0, k);
        },
        result: (acc) => acc,
      };
    },
  };
}

export const TOPK = topK('TOPK');
export const TOPKDISTINCT = topK('TOPKDISTINCT');

export const AGGREGATES: readonly AggregateFunction[] = [
  COUNT,
  SUM,
  AVG,
  MIN,
  MAX,
  LATEST_BY_OFFSET,
  EARLIEST_BY_OFFSET,
  COLLECT_LIST,
  COLLECT_SET,
  HISTOGRAM,
  COUNT_DISTINCT,
  TOPK,
  TOPKDISTINCT,
];
