import { TemplateFunctionError } from '../template/errors.ts';
import { type TemplateFunction, strval, toInt64 } from './convert.ts';

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

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The parts of an instant in a zone (an IANA name, "UTC" or "Local", which is UTC here). */
function partsIn(
  date: Date,
  zone: string,
): { parts: Date; offsetMinutes: number; abbreviation: string } {
  if (zone === 'UTC' || zone === 'Local' || zone === '') {
    return { parts: date, offsetMinutes: 0, abbreviation: 'UTC' };
  }
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      timeZoneName: 'short',
    });
  } catch {
    throw new TemplateFunctionError(`unknown time zone ${zone}`);
  }
  const p = Object.fromEntries(formatter.formatToParts(date).map((x) => [x.type, x.value]));
  const local = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
    date.getUTCMilliseconds(),
  );
  const offsetMinutes = Math.round((local - date.getTime()) / 60000);
  return { parts: new Date(local), offsetMinutes, abbreviation: p.timeZoneName ?? zone };
}

const LAYOUT_TOKENS =
  /January|Jan|Monday|Mon|MST|2006|01|02|_2|15|03|04|05|06|Z07:00|Z0700|Z07|-07:00|-0700|-07|PM|pm|\.0+|\.9+|1|2|3|4|5/g;

/** Go's Time.Format with a reference-time layout (Mon Jan 2 15:04:05 MST 2006). */
export function formatGoTime(date: Date, layout: string, zone = 'UTC'): string {
  const { parts: d, offsetMinutes, abbreviation } = partsIn(date, zone);
  const offset = (colon: boolean, zulu: boolean, short = false): string => {
    if (zulu && offsetMinutes === 0) return 'Z';
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    if (short) return `${sign}${pad(Math.floor(abs / 60))}`;
    return `${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`;
  };
  const hour12 = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  return layout.replace(LAYOUT_TOKENS, (token) => {
    switch (token) {
      case 'January':
        return MONTHS[d.getUTCMonth()] ?? '';
      case 'Jan':
        return (MONTHS[d.getUTCMonth()] ?? '').slice(0, 3);
      case 'Monday':
        return DAYS[d.getUTCDay()] ?? '';
      case 'Mon':
        return (DAYS[d.getUTCDay()] ?? '').slice(0, 3);
      case 'MST':
        return abbreviation;
      case '2006':
        return pad(d.getUTCFullYear(), 4);
      case '06':
        return pad(d.getUTCFullYear() % 100);
      case '01':
        return pad(d.getUTCMonth() + 1);
      case '1':
        return String(d.getUTCMonth() + 1);
      case '02':
        return pad(d.getUTCDate());
      case '_2':
        return String(d.getUTCDate()).padStart(2, ' ');
      case '2':
        return String(d.getUTCDate());
      case '15':
        return pad(d.getUTCHours());
      case '03':
        return pad(hour12);
      case '3':
        return String(hour12);
      case '04':
        return pad(d.getUTCMinutes());
      case '4':
        return String(d.getUTCMinutes());
      case '05':
        return pad(d.getUTCSeconds());
      case '5':
        return String(d.getUTCSeconds());
      case 'PM':
        return d.getUTCHours() >= 12 ? 'PM' : 'AM';
      case 'pm':
        return d.getUTCHours() >= 12 ? 'pm' : 'am';
      case 'Z07:00':
        return offset(true, true);
      case 'Z0700':
        return offset(false, true);
      case 'Z07':
        return offset(false, true, true);
      case '-07:00':
        return offset(true, false);
      case '-0700':
        return offset(false, false);
      case '-07':
        return offset(false, false, true);
      default: {
        // .000 / .999: fractional seconds (nanosecond precision in Go, milliseconds here).
        const digits = token.length - 1;
        const frac = pad(d.getUTCMilliseconds(), 3).padEnd(9, '0').slice(0, digits);
        return token[1] === '9'
          ? frac.replace(/0+$/, '')
            ? `.${frac.replace(/0+$/, '')}`
            : ''
          : `.${frac}`;
      }
    }
  });
}

/** Sprig's date functions take a time.Time, a *time.Time, an int64 or int (Unix seconds). */
function toDateValue(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'bigint') return new Date(Number(v) * 1000);
  if (typeof v === 'number') return new Date(Math.trunc(v) * 1000);
  return new Date();
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

export function parseGoDuration(s: string): number {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.replace(/^[+-]/, '');
  let total = 0;
  let consumed = 0;
  for (const m of body.matchAll(re)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] ?? 's'] ?? 0);
    consumed += m[0].length;
  }
  if (consumed !== body.length || body === '')
    throw new TemplateFunctionError(`time: invalid duration "${s}"`);
  return sign * total;
}

/** time.Duration.String for whole seconds, as Sprig's `ago` and `duration` print it. */
export function formatGoDuration(ms: number): string {
  const negative = ms < 0;
  let s = Math.round(Math.abs(ms) / 1000);
  if (s === 0) return '0s';
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const text = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
  return negative ? `-${text}` : text;
}

export function dateFunctions(now: () => Date): Record<string, TemplateFunction> {
  const parseDate = (layout: string, value: string): Date => {
    // Go layouts cover far more than this; charts use RFC 3339 and plain dates.
    const parsed = new Date(layout === '2006-01-02' ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(parsed.getTime())) {
      throw new TemplateFunctionError(`parsing time "${value}" as "${layout}": cannot parse`);
    }
    return parsed;
  };
  return {
    now: () => now(),
    date: (layout, d) => formatGoTime(toDateValue(d), strval(layout)),
    dateInZone: (layout, d, zone) => formatGoTime(toDateValue(d), strval(layout), strval(zone)),
    htmlDate: (d) => formatGoTime(toDateValue(d), '2006-01-02'),
    htmlDateInZone: (d, zone) => formatGoTime(toDateValue(d), '2006-01-02', strval(zone)),
    toDate: (layout, value) => {
      try {
        return parseDate(strval(layout), strval(value));
      } catch {
        return new Date(Date.UTC(1, 0, 1));
      }
    },
    mustToDate: (layout, value) => parseDate(strval(layout), strval(value)),
    unixEpoch: (d) => String(Math.floor(toDateValue(d).getTime() / 1000)),
    dateModify: (fmt, d) => {
      try {
        return new Date(toDateValue(d).getTime() + parseGoDuration(strval(fmt)));
      } catch {
        return toDateValue(d);
      }
    },
    mustDateModify: (fmt, d) => new Date(toDateValue(d).getTime() + parseGoDuration(strval(fmt))),
    ago: (d) => formatGoDuration(now().getTime() - toDateValue(d).getTime()),
    duration: (sec) => formatGoDuration(Number(toInt64(sec)) * 1000),
    durationRound: (v) => {
      const ms = typeof v === 'string' ? parseGoDuration(v) : Number(toInt64(v)) / 1e6;
      const units: [number, string][] = [
        [31_536_000_000, 'y'],
        [2_592_000_000, 'mo'],
        [86_400_000, 'd'],
        [3_600_000, 'h'],
        [60_000, 'm'],
        [1000, 's'],
      ];
      for (const [size, unit] of units)
        if (Math.abs(ms) >= size) return `${Math.floor(Math.abs(ms) / size)}${unit}`;
      return '0s';
    },
  };
}
