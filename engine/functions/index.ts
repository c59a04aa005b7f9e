/** The built-in functions, registered once; `createFunctionRegistry()` gives a fresh registry to extend. */
import { AGGREGATES } from './aggregates.ts';
import { FunctionRegistry } from './registry.ts';
import { SCALARS } from './scalars.ts';

export {
  type AggregateFunction,
  type Aggregation,
  FunctionError,
  FunctionRegistry,
  type ScalarFunction,
} from './registry.ts';

export function createFunctionRegistry(): FunctionRegistry {
  return new FunctionRegistry().addScalar(...SCALARS).addAggregate(...AGGREGATES);
}
