import { LogLevel, type Logger } from '@slack/bolt';
import { systemClock } from '../lib/clock.js';

/** Bolt's and the bot's log lines, all through the redactor: no token or password reaches a log. */
export class RedactingLogger implements Logger {
  constructor(
    private readonly inner: Logger,
    private readonly redact: (s: string) => string,
  ) {}

  private clean(msg: unknown[]): string[] {
    return msg.map((m) => this.redact(typeof m === 'string' ? m : m instanceof Error ? (m.stack ?? m.message) : safeJson(m)));
  }

  debug(...msg: unknown[]): void {
    this.inner.debug(...this.clean(msg));
  }
  info(...msg: unknown[]): void {
    this.inner.info(...this.clean(msg));
  }
  warn(...msg: unknown[]): void {
    this.inner.warn(...this.clean(msg));
  }
  error(...msg: unknown[]): void {
    this.inner.error(...this.clean(msg));
  }
  setLevel(level: LogLevel): void {
    this.inner.setLevel(level);
  }
  getLevel(): LogLevel {
    return this.inner.getLevel();
  }
  setName(name: string): void {
    this.inner.setName(name);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const ORDER: Record<string, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Plain stderr logger with levels (Bolt's ConsoleLogger lives in a package we do not depend on). */
export class StderrLogger implements Logger {
  #level: LogLevel;
  #name = 'rmq-bot';
  constructor(level: 'debug' | 'info' | 'warn' | 'error') {
    this.#level = level as LogLevel;
  }
  private write(level: string, msg: unknown[]): void {
    if ((ORDER[level] ?? 0) < (ORDER[this.#level] ?? 1)) return;
    process.stderr.write(`${new Date(systemClock()).toISOString()} ${level.toUpperCase()} [${this.#name}] ${msg.map(String).join(' ')}\n`);
  }
  debug(...msg: unknown[]): void {
    this.write('debug', msg);
  }
  info(...msg: unknown[]): void {
    this.write('info', msg);
  }
  warn(...msg: unknown[]): void {
    this.write('warn', msg);
  }
  error(...msg: unknown[]): void {
    this.write('error', msg);
  }
  setLevel(level: LogLevel): void {
    this.#level = level;
  }
  getLevel(): LogLevel {
    return this.#level;
  }
  setName(name: string): void {
    this.#name = name;
  }
}
