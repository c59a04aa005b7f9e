/**
 * Java DateTimeFormatter patterns (as ksqlDB's TIMESTAMPTOSTRING,
 * FORMAT_TIMESTAMP and PARSE_TIMESTAMP take them) over epoch milliseconds:
 * y M d H h m s S a E z Z X and 'quoted text'. Time zones by IANA name via Intl.
 */

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  weekday: number;
  offsetMinutes: number;
  zoneName: string;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function offsetOf(ms: number, zone: string): number {
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z') return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - (ms - (ms % 1000))) / 60_000);
}

function zoneAbbreviation(ms: number, zone: string): string {
  if (zone === 'UTC') return 'UTC';
  // en-US names American zones (PDT), en-GB European ones (BST); Java knows both.
  for (const locale of ['en-US', 'en-GB']) {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }).formatToParts(
      new Date(ms),
    );
    const name = parts.find((p) => p.type === 'timeZoneName')?.value;
    if (name && !/^(GMT|UTC)[+-]/.test(name)) return name;
  }
  return zone;
}

function fields(ms: number, zone: string): Fields {
  const offsetMinutes = offsetOf(ms, zone);
  const d = new Date(ms + offsetMinutes * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millis: d.getUTCMilliseconds(),
    weekday: d.getUTCDay(),
    offsetMinutes,
    zoneName: zoneAbbreviation(ms, zone),
  };
}

function tokens(pattern: string): string[] {
  return pattern.match(/'[^']*'|([A-Za-z])\1*|[^A-Za-z']+/g) ?? [];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function offsetText(minutes: number, colon: boolean, zForZero: boolean): string {
  if (minutes === 0 && zForZero) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}${colon ? ':' : ''}${pad(abs % 60, 2)}`;
}

export function formatJavaTimestamp(ms: number, pattern: string, zone = 'UTC'): string {
  const f = fields(ms, zone);
  return tokens(pattern)
    .map((t) => {
      if (t.startsWith("'")) return t.length === 2 ? "'" : t.slice(1, -1);
      const n = t.length;
      switch (t[0]) {
        case 'y':
        case 'u':
          return n === 2 ? pad(f.year % 100, 2) : pad(f.year, n);
        case 'M':
          return n >= 4 ? MONTHS[f.month - 1] : n === 3 ? MONTHS[f.month - 1]!.slice(0, 3) : pad(f.month, n);
        case 'd':
          return pad(f.day, n);
        case 'H':
          return pad(f.hour, n);
        case 'h':
          return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, n);
        case 'm':
          return pad(f.minute, n);
        case 's':
          return pad(f.second, n);
        case 'S':
          return pad(f.millis, 3).slice(0, n).padEnd(n, '0');
        case 'a':
          return f.hour < 12 ? 'AM' : 'PM';
        case 'E':
          return n >= 4 ? DAYS[f.weekday] : DAYS[f.weekday]!.slice(0, 3);
        case 'z':
          return f.zoneName;
        case 'Z':
          return offsetText(f.offsetMinutes, false, false);
        case 'X':
          return offsetText(f.offsetMinutes, n >= 3, true);
        case 'x':
          return offsetText(f.offsetMinutes, n >= 3, false);
        default:
          return t;
      }
    })
    .join('');
}

/** Parses text by a Java pattern; missing fields default to the epoch's. Throws on a mismatch. */
export function parseJavaTimestamp(text: string, pattern: string, zone = 'UTC'): number {
  let pos = 0;
  const v = {
    year: 1970,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    millis: 0,
    pm: null as boolean | null,
    offset: null as number | null,
  };
  const num = (max: number) => {
    const m = new RegExp(`^[+-]?\\d{1,${max}}`).exec(text.slice(pos));
    if (!m) throw new Error(`Text '${text}' could not be parsed at index ${pos}`);
    pos += m[0].length;
    return Number(m[0]);
  };
  const toks = tokens(pattern);
  toks.forEach((t, i) => {
    const n = t.length;
    const nextIsNumber = /^[yMdHhmsS]/.test(toks[i + 1] ?? '');
    const width = nextIsNumber ? n : 9;
    switch (t[0]) {
      case "'": {
        const lit = t.length === 2 ? "'" : t.slice(1, -1);
        if (!text.startsWith(lit, pos)) throw new Error(`Text '${text}' could not be parsed at index ${pos}`);
        pos += lit.length;
        return;
      }
      case 'y':
      case 'u':
        v.year = num(n === 2 ? 2 : Math.max(width, 4));
        if (n === 2) v.year += 2000;
        return;
      case 'M':
        if (n >= 3) {
          const idx = MONTHS.findIndex((m) =>
            text
              .slice(pos)
              .toLowerCase()
              .startsWith((n === 3 ? m.slice(0, 3) : m).toLowerCase()),
          );
          if (idx < 0) throw new Error(`Text '${text}' could not be parsed at index ${pos}`);
          pos += n === 3 ? 3 : MONTHS[idx]!.length;
          v.month = idx + 1;
        } else v.month = num(width === 9 ? 2 : width);
        return;
      case 'd':
        v.day = num(width === 9 ? 2 : width);
        return;
      case 'H':
      case 'h':
        v.hour = num(width === 9 ? 2 : width);
        return;
      case 'm':
        v.minute = num(width === 9 ? 2 : width);
        return;
      case 's':
        v.second = num(width === 9 ? 2 : width);
        return;
      case 'S': {
        const start = pos;
        const digits = num(n);
        v.millis = Math.round(digits * 10 ** (3 - (pos - start)));
        return;
      }
      case 'a':
        v.pm = text.slice(pos, pos + 2).toUpperCase() === 'PM';
        pos += 2;
        return;
      case 'X':
      case 'Z':
      case 'x': {
        if (text[pos] === 'Z') {
          v.offset = 0;
          pos++;
          return;
        }
        const m = /^([+-])(\d{2}):?(\d{2})?/.exec(text.slice(pos));
        if (!m) throw new Error(`Text '${text}' could not be parsed at index ${pos}`);
        pos += m[0].length;
        v.offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
        return;
      }
      default:
        if (!text.startsWith(t, pos)) throw new Error(`Text '${text}' could not be parsed at index ${pos}`);
        pos += t.length;
    }
  });
  if (pos !== text.length) throw new Error(`Text '${text}' could not be parsed, unparsed text found at index ${pos}`);
  if (v.pm !== null && v.hour < 12 && v.pm) v.hour += 12;
  const local = Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second, v.millis);
  const offset = v.offset ?? offsetOf(local, zone);
  return local - offset * 60_000;
}
