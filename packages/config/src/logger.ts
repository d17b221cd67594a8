import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * Field names that may hold a secret anywhere in a log record. pino removes them before a
 * line is written, so a careless `log.info({ cluster })` cannot leak a token.
 */
export const REDACTED_FIELDS = [
  'token',
  'password',
  'secret',
  'kubeconfig',
  'authorization',
  'cookie',
  'credentials',
  'auth',
  'keyData',
  'clientKeyData',
  'caData',
];

const redactPaths = REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

export interface LoggerOptions {
  name: string;
  level?: string;
  format?: 'pretty' | 'json';
  destination?: NodeJS.WritableStream;
  /**
   * Fields added to every line, asked for at each call: the worker passes the current job's
   * correlation id (carried by AsyncLocalStorage in @flotilla/jobs) this way.
   */
  mixin?: () => object;
}

export function createLogger({
  name,
  level = 'info',
  format = 'pretty',
  destination,
  mixin,
}: LoggerOptions): Logger {
  const options = {
    name,
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: undefined,
    ...(mixin ? { mixin } : {}),
  };
  if (format === 'json') {
    return destination ? pino(options, destination) : pino(options);
  }
  const stream = pretty({
    destination: destination ?? process.stdout,
    colorize: false,
    singleLine: true,
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,name',
  });
  return pino(options, stream);
}
