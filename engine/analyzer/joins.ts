/**
 * Join analysis: which side of each ON condition belongs to which source,
 * what kind of join it is (stream-stream, stream-table, table-table, foreign
 * key), whether either side must be re-keyed, and ksqlDB's errors for the
 * joins it does not support.
 */
import type { Expr } from '../parser/ast.ts';
import { formatExpression } from '../parser/format.ts';
import type { JoinKind, JoinStep } from '../planner/logical-plan.ts';
import { formatType, typesEqual } from '../types/sql-type.ts';
import { columnsOf } from './expression-walk.ts';
import { AnalysisError, compileExpression } from './expressions.ts';
import type { QueryContext } from './query-context.ts';
import { type SourceRef, SourceScope } from './scope.ts';

export function analyzeJoins(ctx: QueryContext): JoinStep[] {
  const steps: JoinStep[] = [];
  ctx.query.from.joins.forEach((j, n) => {
    const right = ctx.sources[n + 1] as SourceRef;
    const left = ctx.sources.slice(0, n + 1);
    const on = j.on;
    if (on.kind === 'logical') {
      throw new AnalysisError(
        `Invalid join condition: joins on multiple conditions are not yet supported. Got ${formatExpression(ctx.qualify(on))}.`,
      );
    }
    if (on.kind !== 'comparison' || on.op !== '=') {
      throw new AnalysisError(
        `Unsupported join expression: ${formatExpression(on)}. Only equality joins are supported.`,
      );
    }
    if (
      right.source.name === (ctx.sources[0] as SourceRef).source.name ||
      left.some((l) => l.source.name === right.source.name)
    ) {
      const other = left.find((l) => l.source.name === right.source.name) as SourceRef;
      throw new AnalysisError(
        `Can not join '${other.source.name}' to '${right.source.name}': self joins are not yet supported.`,
      );
    }
    for (const c of columnsOf(on)) {
      if (c.source !== null && !ctx.sources.some((x) => x.alias === c.source || x.source.name === c.source)) {
        throw new AnalysisError(
          `Failed to prepare statement: '${c.source}' is not a valid stream/table name or alias.`,
        );
      }
    }
    const sideOf = (e: Expr): 'left' | 'right' => {
      const aliases = new Set(columnsOf(e).map((c) => ctx.aliasOf(c)));
      const inRight = aliases.has(right.alias);
      const inLeft = left.some((l) => aliases.has(l.alias));
      if (aliases.size === 0 || (inRight && inLeft) || aliases.size > 1) {
        throw new AnalysisError(
          `Invalid comparison expression '${formatExpression(e)}' in join '${formatExpression(on)}'. Each side of the join comparision must contain references from exactly one source.`,
        );
      }
      return inRight ? 'right' : 'left';
    };
    const a = sideOf(on.left);
    const b = sideOf(on.right);
    if (a === b) {
      throw new AnalysisError(
        `Invalid comparison expression '${formatExpression(on.right)}' in join '${formatExpression(on)}'. Each side of the join comparision must contain references from exactly one source.`,
      );
    }
    const leftExpr = a === 'left' ? on.left : on.right;
    const rightExpr = a === 'left' ? on.right : on.left;
    const leftKey = ctx.compile(leftExpr, ctx.scope.withClause('JOIN ON'));
    const rightScope = new SourceScope([right], 'JOIN ON', true);
    const rightKey = compileExpression(rightExpr, rightScope, ctx.functions);
    const leftType =
      n === 0
        ? (ctx.sources[0] as SourceRef).source.type
        : steps.some((s) => s.kind === 'stream-stream' || s.kind === 'stream-table') ||
            (ctx.sources[0] as SourceRef).source.type === 'STREAM'
          ? 'STREAM'
          : 'TABLE';
    const rightIsTable = right.source.type === 'TABLE';
    const isKeyOf = (e: Expr, ref: SourceRef) =>
      e.kind === 'column' && ref.source.schema.key.length === 1 && ref.source.schema.key[0]?.name === e.name;
    const leftRef = left.find((l) => columnsOf(leftExpr).some((c) => ctx.aliasOf(c) === l.alias)) as SourceRef;
    const leftKeyIsKey =
      (n === 0 && isKeyOf(leftExpr, leftRef)) ||
      (n > 0 && ctx.joinKeyExprs[n - 1]?.some((e) => ctx.canonical(e) === ctx.canonical(leftExpr)) === true);
    const rightKeyIsKey = isKeyOf(rightExpr, right);
    if (formatType(leftKey.type).includes('MAP<')) {
      const name = leftExpr.kind === 'column' ? `${leftRef.alias}_${leftExpr.name}` : 'ROWKEY';
      throw new AnalysisError(
        `Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: \`${name}\`. Column type: ${formatType(leftKey.type)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`,
      );
    }
    if (!typesEqual(leftKey.type, rightKey.type)) {
      throw new AnalysisError(
        `Invalid join condition: types don't match. Got ${formatExpression(ctx.qualify(leftExpr))}{${formatType(leftKey.type)}} = ${formatExpression(ctx.qualify(rightExpr))}{${formatType(rightKey.type)}}.`,
      );
    }
    const leftWindowed = leftRef.source.window;
    const rightWindowed = right.source.window;
    if (leftWindowed && rightWindowed) {
      if ((leftWindowed.type === 'SESSION') !== (rightWindowed.type === 'SESSION')) {
        throw new AnalysisError(
          `Incompatible windowed sources.\nLeft source: ${leftWindowed.type}\nRight source: ${rightWindowed.type}\nSession windowed sources can only be joined to other session windowed sources, and may still not result in expected behaviour as session bounds must be an exact match for the join to work\nHopping and tumbling windowed sources can only be joined to other hopping and tumbling windowed sources`,
        );
      }
      if (leftType === 'TABLE' && rightIsTable && rightKeyIsKey && !isKeyOf(leftExpr, leftRef)) {
        throw new AnalysisError('Foreign-key table-table joins are not supported on windowed tables.');
      }
      const rekeyed = !(isKeyOf(leftExpr, leftRef) && isKeyOf(rightExpr, right));
      if (rekeyed || leftWindowed.sizeMs !== rightWindowed.sizeMs) {
        throw new AnalysisError(
          'Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.',
        );
      }
    }
    if ((leftWindowed === null) !== (right.source.window === null)) {
      const [w, nw] = leftWindowed ? [leftRef, right] : [right, leftRef];
      throw new AnalysisError(
        `Can not join windowed source to non-windowed source.\n\`${w.alias}\` is ${w.source.window?.type} windowed\n\`${nw.alias}\` is not windowed`,
      );
    }
    let kind: JoinKind;
    if (leftType === 'STREAM' && !rightIsTable) {
      kind = 'stream-stream';
      if (j.within === null)
        throw new AnalysisError(
          'Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to specify a WITHIN clause with a stream-stream join, please visit: https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select',
        );
    } else if (leftType === 'STREAM' && rightIsTable) {
      kind = 'stream-table';
      if (j.within !== null)
        throw new AnalysisError(
          'A window definition was provided for a Stream-Table join. These joins are not windowed. Please drop the window definition (i.e. the WITHIN clause) and try to execute your join again.',
        );
      if (!rightKeyIsKey) {
        throw new AnalysisError(
          `Invalid join condition: stream-table joins require to join on the table's primary key. Got ${formatExpression(ctx.qualify(on.left))} = ${formatExpression(ctx.qualify(on.right))}.`,
        );
      }
      if (j.type === 'FULL') {
        throw new AnalysisError(
          `Invalid join type: full-outer join not supported for stream-table join. Got ${leftRef.alias} [FULL] OUTER JOIN ${right.alias}.`,
        );
      }
    } else if (leftType === 'TABLE' && rightIsTable) {
      if (j.within !== null)
        throw new AnalysisError(
          'A window definition was provided for a Table-Table join. These joins are not windowed. Please drop the window definition (i.e. the WITHIN clause) and try to execute your join again.',
        );
      if (!rightKeyIsKey) {
        throw new AnalysisError(
          `Invalid join condition: table-table joins require to join on the primary key of the right input table. Got ${formatExpression(ctx.qualify(on.left))} = ${formatExpression(ctx.qualify(on.right))}.`,
        );
      }
      kind = leftKeyIsKey ? 'table-table' : 'foreign-key';
    } else {
      const how =
        j.type === 'INNER'
          ? '[INNER] JOIN'
          : j.type === 'LEFT'
            ? 'LEFT [OUTER] JOIN'
            : j.type === 'RIGHT'
              ? 'RIGHT [OUTER] JOIN'
              : '[FULL] OUTER JOIN';
      throw new AnalysisError(
        `Invalid join order: table-stream joins are not supported; only stream-table joins. Got ${leftRef.alias} ${how} ${right.alias}.`,
      );
    }
    const syntheticKey =
      kind !== 'foreign-key' && (j.type === 'FULL' || (leftExpr.kind !== 'column' && rightExpr.kind !== 'column'));
    ctx.joinKeyExprs.push(
      kind === 'foreign-key'
        ? []
        : syntheticKey
          ? [{ kind: 'column', source: null, name: 'ROWKEY' }]
          : [leftExpr, rightExpr].filter((e) => e.kind === 'column'),
    );
    if (syntheticKey) ctx.scope = ctx.scope.withSyntheticKey({ name: 'ROWKEY', type: leftKey.type });
    steps.push({
      type: j.type,
      kind,
      right,
      leftKey,
      rightKey,
      leftKeyIsKey,
      rightKeyIsKey,
      within: j.within,
      syntheticKey,
    });
  });
  return steps;
}
