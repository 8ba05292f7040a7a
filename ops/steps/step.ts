import type { ActionContext } from '../action.js';

/** Run one reported step: running → done, or failed (with the first line of the error) and rethrow. */
export async function step<T>(ctx: ActionContext, id: string, title: string, work: () => Promise<T>, detail?: (value: T) => string | undefined): Promise<T> {
  ctx.progress({ id, title, state: 'running' });
  try {
    const value = await work();
    const d = detail?.(value);
    ctx.progress({ id, title, state: 'done', ...(d ? { detail: d } : {}) });
    return value;
  } catch (error) {
    ctx.progress({ id, title, state: 'failed', detail: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
    throw error;
  }
}

export function skipped(ctx: ActionContext, id: string, title: string, detail: string): void {
  ctx.progress({ id, title, state: 'skipped', detail });
}
