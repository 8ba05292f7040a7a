import { exceedsLimits } from '../../../../bot/render/limits.js';
import { statusBlocks } from '../../../../bot/render/status-blocks.js';
import { parseQueues } from '../../../../ops/rabbit/parse-queues.js';
import { QUEUES_SHOWN } from '../../../../ops/status/queue-lines.js';
import { queueSummary, type StatusData } from '../../../../ops/status/status-view.js';
import { countFake, fakeQueue4, listQueuesJson4 } from '../../../helpers/fake-queues.js';

const RUNNING = [1, 2, 3].map((n) => ({ name: `rabbit${n}`, erlangNode: `rabbit@rabbit${n}` }));

function statusOf(count: number): StatusData {
  return {
    cluster: 'big',
    nodes: RUNNING.map((n) => ({ name: n.name, running: true, alarms: [], container: 'running', clustered: true })),
    partitions: [],
    queues: queueSummary(parseQueues(listQueuesJson4(count), 4), 4, RUNNING),
    source: 'test',
    healthy: false,
  };
}

const textOf = (s: StatusData) => JSON.stringify(statusBlocks(s));

describe('the Slack status blocks at 10,000 queues', () => {
  const s = statusOf(10_000);
  const fake = countFake(10_000, fakeQueue4);
  const blocks = statusBlocks(s);
  const facts = (blocks.at(-2) as { text: { text: string } }).text.text;

  test('counts per state, the worst ten by name and how many more, within Slack’s limits', () => {
    expect(facts).toContain(
      `queues (quorum): 10000 queues: ${fake['quorum-no-majority']} without a majority online, ${fake['quorum-one-offline']} with members offline, ${fake['quorum-full']} with every member online, ${fake.classic} classic (not replicated)`,
    );
    const named = facts.split('\n').filter((l) => l.startsWith('    • '));
    expect(named).toEqual(s.queues!.unhealthy.slice(0, QUEUES_SHOWN).map((u) => `    • ${u}`));
    expect(facts).toContain(`… and ${s.queues!.unhealthy.length - QUEUES_SHOWN} more queues behind (\`rmq-compose status --json\` lists every one)`);
    expect(facts).not.toContain(s.queues!.unhealthy[QUEUES_SHOWN]!);
    expect(exceedsLimits(blocks)).toBe(false);
  });

  test('a few queues behind: named on one line, as before', () => {
    const few = statusOf(12);
    expect(textOf(few)).toContain(`queues (quorum): ${few.queues!.unhealthy.join(', ')}`);
    expect(textOf(few)).not.toContain('more queues behind');
  });
});
