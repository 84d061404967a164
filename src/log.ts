/**
 * Structured logs: one JSON object per line on standard error (standard
 * output stays clean for the CLI's JSON), or a short human line when
 * `format: 'pretty'` (the CLI and the console).
 */
import type { LogLevel } from './config.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'json' | 'pretty';
  write?: (line: string) => void;
  fields?: Record<string, unknown>;
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack, code: (value as { code?: unknown }).code };
  return value;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const format = options.format ?? 'json';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const base = options.fields ?? {};
  const emit = (at: LogLevel, message: string, fields: Record<string, unknown> = {}): void => {
    if (ORDER[at] < ORDER[level]) return;
    const all = { ...base, ...fields };
    if (format === 'pretty') {
      const extra = Object.entries(all)
        .filter(([k]) => k !== 'component')
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(serialise(v))}`)
        .join(' ');
      write(`sitrep: ${at === 'info' ? '' : `${at}: `}${message}${extra ? ` (${extra})` : ''}`);
      return;
    }
    const record: Record<string, unknown> = { time: new Date().toISOString(), level: at, msg: message };
    for (const [k, v] of Object.entries(all)) record[k] = serialise(v);
    write(JSON.stringify(record));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}
