import { z } from 'zod';
import { BotConfigFile } from './config-schema.js';

/**
 * JSON Schema of the bot's configuration file (`rmq-compose bot schema`; committed as
 * schema/rmq-bot.schema.json), made from the zod schema the bot validates with, like the cluster
 * spec's (generator/spec/json-schema.ts): input side, so defaults are optional.
 */
export function botConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(BotConfigFile, { io: 'input', unrepresentable: 'any' }),
    title: 'rmq-compose bot configuration',
  };
}
