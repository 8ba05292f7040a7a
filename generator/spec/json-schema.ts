import { z } from 'zod';
import { ClusterSpecInput } from './schema.js';

/** JSON Schema of what a user may write (input side: defaults are optional). */
export function specJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ClusterSpecInput, { io: 'input', unrepresentable: 'any' }),
    title: 'rmq-compose cluster spec',
  };
}
