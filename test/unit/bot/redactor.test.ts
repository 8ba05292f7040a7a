import { describe, expect, it } from '@jest/globals';
import { Redactor } from '../../../bot/redactor.js';
import { md } from '../../../bot/render/slack-text.js';

describe('the redactor at the last exit', () => {
  it('masks a secret as Slack text spells it too: a password with & < > is escaped before it leaves', () => {
    const password = 'p&ss<w>rd-1';
    const r = new Redactor([password]);
    const said = md`connect failed for admin:${password}`.markup;
    expect(said).toContain('p&amp;ss&lt;w&gt;rd-1');
    expect(r.apply(said)).toBe('connect failed for admin:***');
    expect(r.apply(`raw ${password}`)).toBe('raw ***');
  });
});
