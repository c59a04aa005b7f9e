/**
 * Java `.properties` files, as ksql-migrations reads its config and headers
 * files: `key=value`, `key: value` or `key value`; `#` and `!` comments;
 * a trailing backslash continues a line; `\t \n \uXXXX` escapes.
 */
import fs from 'node:fs';

export function parseProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  const physical = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < physical.length; i++) {
    let line = (physical[i] as string).replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (endsWithContinuation(line) && i + 1 < physical.length) {
      line = line.slice(0, -1) + (physical[++i] as string).replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(line)) line = line.slice(0, -1);
    const separator = /(?<!\\)(?:\\\\)*[=: \t\f]/.exec(line);
    let key = line;
    let value = '';
    if (separator) {
      const at = separator.index + separator[0].length - 1;
      key = line.slice(0, at);
      value = line.slice(at + 1).replace(/^[ \t\f]*[=:]?[ \t\f]*/, '');
      if (/[=:]/.test(line[at] as string)) value = line.slice(at + 1).replace(/^[ \t\f]*/, '');
    }
    result.set(unescapeJava(key), unescapeJava(value));
  }
  return result;
}

function endsWithContinuation(line: string): boolean {
  const trailing = /\\+$/.exec(line)?.[0].length ?? 0;
  return trailing % 2 === 1;
}

function unescapeJava(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_whole, escaped: string) => {
    if (escaped.startsWith('u') && escaped.length === 5)
      return String.fromCharCode(Number.parseInt(escaped.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[escaped] ?? escaped;
  });
}

export function readPropertiesFile(file: string): Map<string, string> {
  return parseProperties(fs.readFileSync(file, 'utf8'));
}
