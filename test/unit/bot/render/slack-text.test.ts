import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { joinMd, md, mention, shortenMd } from '../../../../bot/render/slack-text.js';

describe('md: the one place text becomes Slack text', () => {
  it('escapes every value (&, <, > only), keeps the literal markup and SlackText put inside as they are', () => {
    const name = '<!channel> & <https://evil.example|x>';
    expect(md`*${name}* is down`.markup).toBe('*&lt;!channel&gt; &amp; &lt;https://evil.example|x&gt;* is down');
    const inner = md`_${name}_`;
    // nested: escaped once, never twice
    expect(md`:x: ${inner} (${3})`.markup).toBe(':x: _&lt;!channel&gt; &amp; &lt;https://evil.example|x&gt;_ (3)');
    expect(joinMd([name, md`*b*`], ', ').markup).toBe('&lt;!channel&gt; &amp; &lt;https://evil.example|x&gt;, *b*');
    expect(md`'quotes' *stay* _as_ \`they\` ~are~`.markup).toBe("'quotes' *stay* _as_ `they` ~are~");
  });

  it('mentions only what looks like a user id', () => {
    expect(mention('U012ABCDEF').markup).toBe('<@U012ABCDEF>');
    expect(mention('!channel').markup).toBe('!channel');
    expect(mention('U1> <!channel').markup).toBe('U1&gt; &lt;!channel');
  });

  it('shortens without splitting an escape or leaving a link of its own markup open', () => {
    expect(shortenMd(md`abc`, 10).markup).toBe('abc');
    expect(shortenMd(md`ab${'<'}c`, 6).markup).toBe('ab…'); // a plain cut would leave "ab&lt"
    expect(shortenMd(md`ab <!date^1^{time}|now> later`, 12).markup).toBe('ab …');
    expect(shortenMd(md`${'x'.repeat(50)}`, 10).markup).toBe(`${'x'.repeat(9)}…`);
  });

  it('is the only escaper in bot/: no message is built from raw strings elsewhere', async () => {
    const root = join(import.meta.dirname, '../../../../bot');
    const offenders: string[] = [];
    for (const file of await sources(root)) {
      const rel = relative(root, file);
      if (rel === 'render/slack-text.ts') continue;
      const text = await readFile(file, 'utf8');
      // a mrkdwn object is made by mrkdwn(SlackText); escaping by hand is what md() replaced
      if (/type: 'mrkdwn'/.test(text)) offenders.push(`${rel}: builds a mrkdwn object by hand`);
      if (/escapeMrkdwn\(|\.replace\(\/&\/g/.test(text)) offenders.push(`${rel}: escapes by hand`);
    }
    expect(offenders).toEqual([]);
  });
});

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(path)));
    else if (e.name.endsWith('.ts')) out.push(path);
  }
  return out;
}
