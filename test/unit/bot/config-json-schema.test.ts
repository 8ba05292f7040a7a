import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { botConfigJsonSchema } from '../../../bot/main.js';
import { packageRoot } from '../../../lib/package-root.js';

describe("the bot configuration's JSON Schema (rmq-compose bot schema)", () => {
  it('is the one committed in schema/ (editors and the code never drift), made from the schema the bot validates with', async () => {
    const committed = await readFile(join(packageRoot(), 'schema', 'rmq-bot.schema.json'), 'utf8');
    // regenerate with: rmq-compose bot schema > schema/rmq-bot.schema.json
    expect(`${JSON.stringify(botConfigJsonSchema(), null, 2)}\n`).toBe(committed);
  });

  it("describes the bot's file, not the cluster spec: its keys, what is required, nothing else allowed", () => {
    const schema = botConfigJsonSchema() as {
      title: string;
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { description?: string }>;
    };
    expect(schema.title).toBe('rmq-compose bot configuration');
    expect(schema.required).toEqual(['clusters', 'resultsChannel', 'authorization']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['$schema', 'mode', 'clusters', 'authorization', 'watch']));
    expect(schema.properties.clusters!.description).toMatch(/checked at start/);
  });
});
