import { webApi, type Logger, type LogLevel } from '@slack/bolt';

/** What p-retry (under @slack/web-api) also reads from a retry config; absent from web-api's type. */
type RetryConfig = webApi.RetryOptions & { onFailedAttempt?: (error: Error) => void | Promise<void> };

/**
 * The bot's hold on its Slack Web API calls. Every WebClient Bolt builds (app.client, the Socket
 * Mode client's, response_url posts) takes its options from clientOptions(), so:
 * - once the bot is stopping, a failed call is not retried (web-api's default retries a call for
 *   about half an hour, which kept a stopped bot alive while Slack was unreachable);
 * - abandon() aborts every call still in flight, at exit.
 */
export class WebApiControl {
  readonly #abandon = new AbortController();
  #retrying = true;

  clientOptions(base: webApi.WebClientOptions): webApi.WebClientOptions {
    const retry: RetryConfig = base.retryConfig ?? webApi.retryPolicies.tenRetriesInAboutThirtyMinutes;
    const retryConfig: RetryConfig = {
      ...retry,
      onFailedAttempt: async (error) => {
        if (!this.#retrying) throw error;
        await retry.onFailedAttempt?.(error);
      },
    };
    const fetchFn = base.fetch ?? globalThis.fetch;
    const abandon = this.#abandon.signal;
    return {
      ...base,
      retryConfig,
      fetch: (url, init) => fetchFn(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, abandon]) : abandon }),
    };
  }

  /** From now on a failed call fails at once (the bot is stopping: no half hour of retries). */
  stopRetrying(): void {
    this.#retrying = false;
  }

  /** Abort every call in flight (and any retry still to come): the bot is exiting. */
  abandon(): void {
    this.#retrying = false;
    this.#abandon.abort(new Error('the bot is stopping'));
  }

  get abandoned(): boolean {
    return this.#abandon.signal.aborted;
  }
}

/**
 * web-api logs each failed attempt of a call at warn ("http request failed"): with Slack out of
 * reach that is a line every few seconds to minutes for half an hour per call. The start-up check
 * (checkWebApi) says it once instead; the attempts go to debug. A call that finally fails still
 * reaches the code that made it, which says what could not be done.
 */
export class QuietRetriesLogger implements Logger {
  constructor(private readonly inner: Logger) {}
  debug(...msg: unknown[]): void {
    this.inner.debug(...msg);
  }
  info(...msg: unknown[]): void {
    this.inner.info(...msg);
  }
  warn(...msg: unknown[]): void {
    if (msg[0] === 'http request failed') this.inner.debug(...msg);
    else this.inner.warn(...msg);
  }
  error(...msg: unknown[]): void {
    this.inner.error(...msg);
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

/** The outcome of one auth.test at start-up: undefined when Slack answered and took the token. */
export async function checkWebApi(client: webApi.WebClient): Promise<string | undefined> {
  try {
    await client.auth.test();
    return undefined;
  } catch (error) {
    return describeWebApiFailure(error);
  }
}

/** One line on why a Web API call failed, what it means for the bot, to follow "Slack's Web API at <url>". */
export function describeWebApiFailure(error: unknown): string {
  const meanwhile = 'the bot runs, but cannot answer commands until it is (it keeps trying in the background)';
  if (error instanceof webApi.WebAPIRequestError) {
    const cause = (error.original as Error & { cause?: { code?: string; message?: string } }).cause;
    const why = [error.original.message, cause?.code ?? cause?.message].filter(Boolean).join(': ');
    return `cannot be reached (${why || 'request failed'}): ${meanwhile}`;
  }
  if (error instanceof webApi.WebAPIHTTPError) return `answered HTTP ${error.statusCode} and cannot be used: ${meanwhile}`;
  if (error instanceof webApi.WebAPIPlatformError)
    return `refused the bot token (${error.data.error}): check SLACK_BOT_TOKEN; the bot cannot answer commands with it`;
  return `cannot be used (${error instanceof Error ? error.message : String(error)}): ${meanwhile}`;
}
