/**
 * SHOW FUNCTIONS (ksqlDB's `function_names`) and DESCRIBE FUNCTION
 * (`describe_function`), from the engine's function registry. The registry
 * knows names, kinds and descriptions, not signatures: a function's
 * variations are not listed. Categories follow the engine's function
 * families (ksqlDB's FunctionCategory names).
 */
import type { FunctionRegistry } from '../functions/index.ts';
import { COLLECTIONS, DATETIME, JSON_FUNCTIONS, MATH, NULLS, STRINGS } from '../functions/scalars.ts';
import type { KsqlEntity } from './entities.ts';

const FAMILIES: readonly [readonly { name: string }[], string][] = [
  [STRINGS, 'STRING'],
  [MATH, 'MATHEMATICAL'],
  [NULLS, 'CONDITIONAL'],
  [DATETIME, 'DATE / TIME'],
  [JSON_FUNCTIONS, 'JSON'],
];

let categories: Map<string, string> | undefined;

function categoryOf(name: string, aggregate: boolean): string {
  if (aggregate) return 'AGGREGATE';
  if (categories === undefined) {
    categories = new Map();
    for (const [functions, category] of FAMILIES)
      for (const f of functions) categories.set(f.name.toUpperCase(), category);
    for (const f of COLLECTIONS) {
      const upper = f.name.toUpperCase();
      categories.set(upper, upper.startsWith('MAP') || upper.endsWith('MAP') ? 'MAP' : 'ARRAY');
    }
  }
  return categories.get(name) ?? 'OTHER';
}

/** ksqlDB's FunctionNameList: every function, scalar then aggregate, each with its type and category. */
export function functionNames(statementText: string, registry: FunctionRegistry): KsqlEntity {
  const functions = registry.names().map((name) => {
    const aggregate = registry.isAggregate(name);
    return { name, type: aggregate ? 'AGGREGATE' : 'SCALAR', category: categoryOf(name, aggregate) };
  });
  return { '@type': 'function_names', statementText, functions, warnings: [] };
}

/** ksqlDB's FunctionDescriptionList for one function; undefined when there is no such function. */
export function describeFunction(
  statementText: string,
  registry: FunctionRegistry,
  name: string,
): KsqlEntity | undefined {
  const upper = name.toUpperCase();
  const aggregate = registry.aggregate(upper);
  const fn = aggregate ?? registry.scalar(upper);
  if (fn === undefined) return undefined;
  return {
    '@type': 'describe_function',
    statementText,
    name: upper,
    description: fn.description ?? '',
    author: 'Confluent',
    version: '',
    path: 'internal',
    functions: [],
    type: aggregate ? 'AGGREGATE' : 'SCALAR',
    warnings: [],
  };
}
