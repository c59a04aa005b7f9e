/**
 * Splits SQL text into statements the way ksqlDB's tools do: a statement ends
 * at a `;` outside quotes; `--` and `/* *\/` comments are dropped. What is
 * left after the last `;` is returned as `rest` (an unfinished statement).
 */

export interface SplitSql {
  /** Complete statements, each ending in `;`, comments removed. */
  readonly statements: string[];
  /** Text after the last complete statement (trimmed of nothing, so a REPL can keep reading). */
  readonly rest: string;
  /** Set when the rest is inside a quote or block comment that is not closed yet. */
  readonly unclosed: "'" | '"' | '`' | '/*' | null;
}

export function splitSql(sql: string): SplitSql {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'" || c === '"' || c === '`') {
      // '' inside a string is an escaped quote: the scan simply closes and reopens.
      const close = sql.indexOf(c, i + 1);
      if (close < 0) return { statements, rest: current + sql.slice(i), unclosed: c };
      current += sql.slice(i, close + 1);
      i = close + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i + 2);
      if (end < 0) break;
      current += '\n';
      i = end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return { statements, rest: current + sql.slice(i), unclosed: '/*' };
      current += ' ';
      i = end + 2;
    } else if (c === ';') {
      statements.push(`${current.trim()};`);
      current = '';
      i++;
    } else {
      current += c;
      i++;
    }
  }
  return { statements: statements.filter((s) => s !== ';'), rest: current, unclosed: null };
}

/** The statement's leading words, upper-cased, outside quotes (for telling statement kinds apart). */
export function leadingWords(statement: string, count = 4): string[] {
  const words: string[] = [];
  const pattern = /'(?:[^']|'')*'|`[^`]*`|"[^"]*"|[A-Za-z_][A-Za-z0-9_]*|\S/g;
  for (const match of statement.matchAll(pattern)) {
    words.push(match[0].toUpperCase());
    if (words.length >= count) break;
  }
  return words;
}

/** Replaces `${name}` with a defined variable's value (names are case-insensitive, as ksqlDB's). */
export function substituteVariables(text: string, variables: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_@]*)\}/g, (whole, name: string) => {
    const value = variables.get(name.toUpperCase());
    return value === undefined ? whole : value;
  });
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
