/**
 * The functions ksqlDB's functional tests load from their own test jar
 * (BAD_UDF, WHENCONDITION, WHENRESULT, SUM_LIST). Only the conformance
 * runner registers them; they are not part of the SQL dialect users get.
 */
import { INTEGER, type SqlType, STRING } from '../types/sql-type.ts';
import type { AggregateFunction, FunctionRegistry, ScalarFunction } from './registry.ts';

/**
 * BAD_UDF misbehaves by argument type, as the test jar's does: BAD_UDF(INT)
 * always throws, BAD_UDF(BOOLEAN) throws when given true (else 0), and
 * BAD_UDF(STRING) returns null every other call.
 */
function badUdf(): ScalarFunction {
  let calls = 0;
  return {
    name: 'BAD_UDF',
    returnType: (args) => (args[0]?.base === 'STRING' ? STRING : INTEGER),
    evaluate: ([value], types) => {
      switch (types[0]?.base) {
        case 'STRING':
          return calls++ % 2 === 0 ? null : value;
        case 'BOOLEAN':
          if (value === true) throw new Error('BAD_UDF was asked to fail');
          return 0;
        default:
          throw new Error('BAD_UDF always fails');
      }
    },
  };
}

/** Returns its first argument; fails if evaluated when the second says it should not be (lazy CASE). */
const WHENCONDITION: ScalarFunction = {
  name: 'WHENCONDITION',
  returnType: (args) => args[0] as SqlType,
  evaluate: ([value, shouldBeEvaluated]) => {
    if (shouldBeEvaluated !== true) throw new Error('WHENCONDITION should not have been evaluated');
    return value;
  },
};

const WHENRESULT: ScalarFunction = {
  name: 'WHENRESULT',
  returnType: (args) => args[0] as SqlType,
  evaluate: ([value, shouldBeEvaluated]) => {
    if (shouldBeEvaluated !== true) throw new Error('WHENRESULT should not have been evaluated');
    return value;
  },
};

/** Sums the elements of each array, and those sums over the group. */
const SUM_LIST: AggregateFunction = {
  name: 'SUM_LIST',
  returnType: (args) => {
    const t = args[0];
    return t?.base === 'ARRAY' ? t.element : INTEGER;
  },
  create: () => ({
    initial: () => 0,
    add: (acc, [list]) =>
      (acc as number) + ((list as (number | null)[] | null) ?? []).reduce<number>((a, b) => a + (b ?? 0), 0),
    result: (acc) => acc,
  }),
};

export function addTestFunctions(registry: FunctionRegistry): FunctionRegistry {
  return registry.addScalar(badUdf(), WHENCONDITION, WHENRESULT).addAggregate(SUM_LIST);
}
