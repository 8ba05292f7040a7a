import type { PreparedAction, RequestOutcome, RunHooks } from '../ops/index.js';
import { toUserFacing, type UserFacing } from './errors.js';
import { ProgressUpdater } from './progress-updater.js';
import { busyMessage } from './render/busy.js';
import { notAllowed } from './render/not-allowed.js';
import { fileFor, richBlocksFor } from './render/rich-blocks.js';
import { noticeMessage, progressMessage, resultMessage, type RenderedMessage, type RunLabel } from './render/result-blocks.js';
import { md } from './render/slack-text.js';
import type { BotRuntime, Reply } from './runtime.js';

export interface Delivery {
  /** The configured name the person used. */
  clusterName: string;
  channel: string;
  /** When the request (or the confirmation press) arrived: the result shows the time since. */
  startedAt: number;
  reply: Reply;
  /** When a confirmation message exists, the live view replaces it instead of posting anew. */
  messageTs?: string;
  /** Post the live view and result in this thread (a run from an alert's button). */
  threadTs?: string;
  /** For the bot's log when something unexpected fails, e.g. "/rmq restart". */
  context: string;
}

/**
 * The Slack side of one request: the hooks the runner calls while it runs (a live message
 * posted just before the action starts, updated from its progress; the stop signal; error ids),
 * then its outcome rendered where the live view was, and announced in the results channel.
 */
export class LiveRun {
  #ts: string | undefined;
  #started = false;
  #progress: ProgressUpdater | undefined;
  // one error id per failure: the audit line and the message name the same one
  readonly #faced = new Map<unknown, UserFacing>();
  readonly hooks: RunHooks;

  constructor(
    private readonly rt: BotRuntime,
    private readonly d: Delivery,
  ) {
    this.#ts = d.messageTs;
    this.hooks = {
      signal: rt.stopping,
      beforeStart: (prepared) => this.#start(prepared),
      progress: (step) => this.#progress?.push(step),
      describeError: (error) => {
        const f = this.face(error);
        return f.errorId ? `error id ${f.errorId}` : f.message;
      },
    };
  }

  /** The live view has been started (the action ran, or was about to). */
  get started(): boolean {
    return this.#started;
  }

  face(error: unknown): UserFacing {
    let f = this.#faced.get(error);
    if (!f) this.#faced.set(error, (f = toUserFacing(error, this.rt.logger, this.rt.redactor.apply, this.d.context)));
    return f;
  }

  /** Render an outcome (not needs-confirmation: the caller asks). Never throws: a Slack failure is audited and told. */
  async finish(outcome: RequestOutcome): Promise<void> {
    try {
      await this.#render(outcome);
    } catch (error) {
      // Slack itself failed us (post/update/upload); the action's outcome is in the audit log.
      const facing = toUserFacing(error, this.rt.logger, this.rt.redactor.apply, `delivering ${this.d.context} result`);
      if ('prepared' in outcome)
        await this.rt.runner.note(outcome.prepared, 'error', facing.errorId ? `delivery failed: error id ${facing.errorId}` : facing.message);
      await this.d.reply(noticeMessage(':x:', md`${facing.message}`)).catch(() => undefined);
    }
  }

  async #render(outcome: RequestOutcome): Promise<void> {
    const { rt, d } = this;
    switch (outcome.kind) {
      case 'needs-confirmation':
        return;
      case 'denied':
        return d.reply(notAllowed(outcome.reason));
      case 'rejected': {
        const facing = this.face(outcome.error);
        return d.reply(noticeMessage(facing.errorId ? ':x:' : ':warning:', md`${facing.message}`));
      }
      case 'busy':
        await this.#progress?.settle();
        return this.#deliver(busyMessage(d.clusterName, outcome.holder, rt.now()));
      case 'cancelled':
        // nothing else cancels a chat request: the bot is stopping
        return this.#deliver(
          noticeMessage(
            ':warning:',
            md`\`${outcome.prepared.action.name}\` on ${d.clusterName} was not started: the bot is stopping. Run it again once the bot is back.`,
          ),
        );
      case 'failed': {
        await this.#progress?.settle();
        const msg = noticeMessage(':x:', md`\`${outcome.prepared.action.name}\` on ${d.clusterName} failed: ${this.face(outcome.error).message}`);
        await this.#deliver(msg);
        return this.#announce(outcome.prepared.mutating, msg);
      }
      case 'done': {
        await this.#progress?.settle();
        const { prepared, result } = outcome;
        const label: RunLabel = { userId: prepared.actor.id, action: prepared.action.name, argv: prepared.argv, cluster: d.clusterName };
        const msg = resultMessage(label, result, rt.now() - d.startedAt, richBlocksFor(prepared.action.name, result));
        // a picture where the action has one (status: the last hour's rates); never a reason to fail the reply
        msg.file ??= await fileFor(prepared.action.name, result).catch(
          (error: unknown) => void rt.logger.warn(`chart failed: ${rt.redactor.apply(String(error))}`),
        );
        await this.#deliver(msg);
        return this.#announce(prepared.mutating, msg);
      }
    }
  }

  /** The live message goes out before the action starts, so people see at once that it runs. */
  async #start(p: PreparedAction): Promise<void> {
    this.#started = true;
    const { rt } = this;
    const label: RunLabel = { userId: p.actor.id, action: p.action.name, argv: p.argv, cluster: this.d.clusterName };
    const show = async (msg: RenderedMessage): Promise<void> => {
      if (this.#ts) await this.rt.out.update(this.d.channel, this.#ts, msg);
      else this.#ts = await this.rt.out.post(this.d.channel, msg, this.d.threadTs);
    };
    this.#progress = new ProgressUpdater(
      (steps) => progressMessage(label, steps),
      show,
      (e) => rt.logger.warn(`progress update failed: ${rt.redactor.apply(String(e))}`),
    );
    try {
      await show(progressMessage(label, []));
    } catch (error) {
      // E.g. the bot is not in this channel: carry on, the result still reaches the user via response_url.
      this.rt.logger.warn(`cannot post in ${this.d.channel}: ${this.rt.redactor.apply(String(error))}`);
    }
  }

  /** Put the final message where the live view was; without one, answer through response_url. */
  async #deliver(msg: RenderedMessage): Promise<void> {
    if (this.#ts) await this.rt.out.update(this.d.channel, this.#ts, msg);
    else await this.d.reply(msg, 'in_channel');
  }

  /** The results channel hears about every mutating action (and read-only ones if configured). */
  async #announce(mutating: boolean, msg: RenderedMessage): Promise<void> {
    if (this.d.channel === this.rt.config.resultsChannel) return;
    if (!mutating && !this.rt.config.announceReadOnly) return;
    await this.rt.out.post(this.rt.config.resultsChannel, msg);
  }
}
