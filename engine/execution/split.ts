/**
 * Splits a script into statement texts at semicolons outside quotes and
 * comments, so that DEFINE can change the variables of the statements after
 * it before they are parsed.
 */
export interface StatementText {
  readonly text: string;
  /** Where the statement starts in the script (for error positions). */
  readonly offset: number;
}

export function splitStatements(sql: string): StatementText[] {
  const out: StatementText[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '`' || c === '"') {
      const close = c;
      i++;
      while (i < sql.length) {
        if (sql[i] === close) {
          if (sql[i + 1] === close) i += 2;
          else break;
        } else i++;
      }
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      continue;
    }
    if (c === ';') {
      out.push({ text: sql.slice(start, i + 1), offset: start });
      start = i + 1;
    }
    i++;
  }
  if (sql.slice(start).trim() !== '') out.push({ text: sql.slice(start), offset: start });
  return out.filter(
    (s) =>
      s.text
        .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '')
        .trim()
        .replace(/^;$/, '') !== '',
  );
}
