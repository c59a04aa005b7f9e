/**
 * The projection: SELECT items with their output names (ksqlDB's naming:
 * KSQL_COL_<n>, <ALIAS>_<COLUMN> in joins), and which of them become the key
 * columns, with ksqlDB's errors for a missing or repeated key.
 */
import type { Expr, SelectItem } from '../parser/ast.ts';
import { formatExpression } from '../parser/format.ts';
import type { LogicalPlan } from '../planner/logical-plan.ts';
import { type Column, RESERVED_COLUMNS } from '../types/schema.ts';
import { BIGINT, type SqlType } from '../types/sql-type.ts';
import { AnalysisError } from './expressions.ts';
import type { QueryContext } from './query-context.ts';

export interface ProjectionItem {
  readonly expr: Expr;
  readonly name: string;
}

export function projectionItems(ctx: QueryContext, select: readonly SelectItem[]): ProjectionItem[] {
  const items: ProjectionItem[] = [];
  let generated = 0;
  const joined = ctx.sources.length > 1;
  for (const item of select) {
    if (item.kind === 'all') {
      const refs =
        item.source === null
          ? ctx.sources
          : ctx.sources.filter((s) => s.alias === item.source || s.source.name === item.source);
      if (item.source === null && ctx.scope.syntheticKey !== null) {
        items.push({ expr: { kind: 'column', source: null, name: 'ROWKEY' }, name: 'ROWKEY' });
      }
      if (refs.length === 0) throw new AnalysisError(`'${item.source}' is not a valid stream/table name or alias.`);
      for (const ref of refs) {
        // After PARTITION BY the old key columns become values, after the others.
        const columns =
          ctx.query.partitionBy !== null
            ? [...ref.source.schema.value, ...ref.source.schema.key]
            : [...ref.source.schema.key, ...ref.source.schema.value];
        for (const c of columns) {
          if (c.header) continue;
          items.push({
            expr: { kind: 'column', source: ref.alias, name: c.name },
            name: joined ? `${ref.alias}_${c.name}` : c.name,
          });
          // A join's windowed source shows its window bounds after its key, as ksqlDB's join schema does.
          if (
            joined &&
            ref.source.window !== null &&
            ctx.query.partitionBy === null &&
            c === ref.source.schema.key.at(-1)
          ) {
            for (const bound of ['WINDOWSTART', 'WINDOWEND']) {
              items.push({ expr: { kind: 'column', source: ref.alias, name: bound }, name: `${ref.alias}_${bound}` });
            }
          }
        }
      }
      continue;
    }
    let name = item.alias;
    if (name === null) {
      const e = item.expr;
      if (e.kind === 'column')
        name = joined && e.source !== null && ctx.inSeveralSources(e.name) ? `${ctx.aliasOf(e)}_${e.name}` : e.name;
      else if (e.kind === 'deref') name = e.field;
      else {
        const taken = new Set(items.map((i) => i.name));
        do name = `KSQL_COL_${generated++}`;
        while (taken.has(name));
      }
    }
    items.push({ expr: item.expr, name });
  }
  // SELECT * with PARTITION BY projects the new key implicitly.
  if (select.some((i) => i.kind === 'all' && i.source === null) && ctx.query.partitionBy !== null) {
    const taken = new Set(items.map((i) => i.name));
    const added: ProjectionItem[] = [];
    for (const e of ctx.query.partitionBy) {
      if (e.kind === 'literal') continue;
      if (items.some((i) => ctx.canonical(i.expr) === ctx.canonical(e))) continue;
      let name = e.kind === 'column' ? e.name : e.kind === 'deref' ? e.field : null;
      if (name === null || taken.has(name)) {
        do name = `KSQL_COL_${generated++}`;
        while (taken.has(name));
      }
      taken.add(name);
      added.push({ expr: e, name });
    }
    items.unshift(...added);
  }
  return items;
}

export function checkAliases(ctx: QueryContext): void {
  for (const item of ctx.query.select) {
    if (item.kind === 'expr' && item.alias !== null && RESERVED_COLUMNS.has(item.alias)) {
      throw new AnalysisError(
        `\`${item.alias}\` is a reserved column name. You cannot use it as an alias for a column.`,
      );
    }
  }
}

/**
 * Splits the projection into key columns (items naming the current key)
 * and value columns, with ksqlDB's errors for a missing or repeated key.
 */
export function splitKey(
  ctx: QueryContext,
  items: readonly ProjectionItem[],
  keyAlternatives: readonly (readonly Expr[])[],
  keyTypes: readonly SqlType[],
  what: 'key' | 'join' | 'partitioning' | 'grouping',
): { keyColumns: LogicalPlan['keyColumns']; valueItems: ProjectionItem[] } {
  const keyColumns: { column: Column; keyIndex: number }[] = [];
  const keyItems = new Set<ProjectionItem>();
  const missing: Expr[][] = [];
  keyAlternatives.forEach((alternatives, keyIndex) => {
    const canon = alternatives.map((a) => ctx.canonical(a));
    // The first alternative (the left side of a join) wins over later ones, whatever the projection order.
    const rank = (i: ProjectionItem) => canon.indexOf(ctx.canonical(i.expr));
    const matches = items.filter((i) => rank(i) >= 0).sort((a, b) => rank(a) - rank(b));
    if (matches.length === 0) {
      missing.push([...alternatives]);
      return;
    }
    const byCanonical = new Map<string, ProjectionItem[]>();
    for (const m of matches) {
      const c = ctx.canonical(m.expr);
      byCanonical.set(c, [...(byCanonical.get(c) ?? []), m]);
    }
    for (const [canon, same] of byCanonical) {
      if (same.length < 2) continue;
      const names = same.map((x) => x.name);
      if (what === 'grouping') {
        throw new AnalysisError(
          `The projection contains a key column more than once: ${names.map((n) => `\`${n}\``).join(' and ')}.`,
        );
      }
      throw new AnalysisError(
        `The projection contains a key column (\`${canon}\`) more than once, aliased as: ${[...names].sort().join(' and ')}.`,
      );
    }
    const m = matches[0] as ProjectionItem;
    keyItems.add(m);
    keyColumns.push({ column: { name: m.name, type: keyTypes[keyIndex] ?? BIGINT }, keyIndex });
  });
  if (missing.length > 0) {
    // Like ksqlDB, name every key column once any is missing.
    if (what === 'key' || what === 'partitioning')
      missing.splice(0, missing.length, ...keyAlternatives.map((a) => [...a]));
    const display = (e: Expr) => formatExpression(what === 'partitioning' ? ctx.qualify(e) : e);
    const shown = missing.map((alts) => alts.map(display).join(' or '));
    const plural = shown.length > 1 || missing.some((m) => m.length > 1);
    const noun =
      what === 'key' ? (plural ? 'key columns' : 'key column') : `${what} ${plural ? 'expressions' : 'expression'}`;
    const list = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown[0];
    const example = missing.map((alts) => display(alts[0] as Expr)).join(', ');
    if (what === 'join' && ctx.scope.syntheticKey !== null) {
      throw new AnalysisError(
        `Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\nThe query used to build \`${ctx.options.sinkName}\` must include the join expression ROWKEY in its projection (eg, SELECT ROWKEY...).\nROWKEY was added as a synthetic key column because the join criteria did not match any source column. This expression must be included in the projection and may be aliased.`,
      );
    }
    throw new AnalysisError(
      `The query used to build \`${ctx.options.sinkName}\` must include the ${noun} ${list} in its projection (eg, SELECT ${example}...).`,
    );
  }
  keyColumns.sort((a, b) => a.keyIndex - b.keyIndex);
  return { keyColumns, valueItems: items.filter((i) => !keyItems.has(i)) };
}
