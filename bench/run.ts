import { benchAck } from './bot-ack.js';
import { benchCertificates } from './certificate-bench.js';
import { benchClusters } from './cluster-bench.js';
import { benchGen } from './gen-bench.js';
import { benchMigrateScale } from './migrate-scale-bench.js';
import { benchMultiHostLines } from './multi-host-bench.js';
import { benchQueueScaleLines } from './queue-scale-bench.js';
import { benchStatusLines } from './status-bench.js';
import { benchVersions } from './versions-bench.js';
import { benchWatcherLines } from './watcher-bench.js';
import { benchTlsLines } from './tls-bench.js';

/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the same run, so the
 * numbers mean something on a busy shared machine. Nothing here asserts a time. Arguments pick
 * sections by name (`npm run bench -- generator` runs only the generator figures, no Docker).
 */
async function botAck(): Promise<string[]> {
  const { p50, p99 } = await benchAck(200);
  const budget = 3000; // Slack's ack deadline
  return [
    `slash-command ack over 200 signed requests: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms = ${(p99 / budget).toFixed(4)}x Slack's 3 s deadline`,
  ];
}

const sections: Array<[string, () => Promise<string[]>]> = [
  ['generator', () => benchGen()],
  ['certificates', benchCertificates],
  ['slack bot', botAck],
  ['queues at scale: status, check and a watcher poll over 2,000 and 10,000 queues (in-process, fake docker)', benchQueueScaleLines],
  ['clusters (Docker)', benchClusters],
  ['status (Docker)', benchStatusLines],
  ['multi-host (Docker, ssh)', benchMultiHostLines],
  ['versions (Docker): upgrade and migrate', benchVersions],
  ['migrate at scale (Docker): N queues x 20 messages, RMQ_BENCH_QUEUES=N (default 300)', benchMigrateScale],
  ['watcher (Docker): detection latency and CPU per poll', benchWatcherLines],
  ['tls (Docker): AMQPS against AMQP, passthrough against termination, formation with inter-node TLS', benchTlsLines],
];

const wanted = process.argv.slice(2);
for (const [name, run] of sections) {
  if (wanted.length > 0 && !wanted.some((w) => name.startsWith(w))) continue;
  process.stdout.write(`\n== ${name}\n`);
  for (const line of await run()) process.stdout.write(`${line}\n`);
}
