import { Document, isMap, isSeq, Scalar, visit } from 'yaml';
import type { ClusterModel } from '../../spec/model.js';
import { file, type RenderedFile } from '../rendered-file.js';
import { ruleComments, ruleFile } from './alert-rules.js';
import { PROMETHEUS_FILES } from './prometheus-layout.js';
import { prometheusConfig } from './scrape-config.js';

/** prometheus.yml and the alert rules it loads, for the machine that runs Prometheus. */
export function prometheusFiles(model: ClusterModel, header: string): RenderedFile[] {
  const m = model.monitoring!;
  const about = [
    header,
    `Prometheus for RabbitMQ cluster ${model.name}: every node's rabbitmq_prometheus endpoint (port 15692) every ${m.scrapeInterval}.`,
    'Metric names, endpoints and families: https://www.rabbitmq.com/docs/prometheus',
  ];
  return [
    file(PROMETHEUS_FILES.config.path, yamlText(prometheusConfig(model), about)),
    file(
      PROMETHEUS_FILES.rules.path,
      yamlText(
        ruleFile(model),
        [header, `Alert rules for RabbitMQ cluster ${model.name}; the cluster's README.md says what each one means and what to do.`],
        ruleComments(model),
      ),
    ),
  ];
}

/** A YAML file with comment lines on top; expressions and texts of several lines as literal blocks. */
function yamlText(value: object, comments: string[], ruleNotes: ReadonlyMap<string, string> = new Map()): string {
  // no anchors: targets shared by two jobs print as plain copies, as a reader expects
  const doc = new Document(value, { aliasDuplicateObjects: false });
  doc.commentBefore = comments.map((c) => ` ${c}`).join('\n');
  // a note above the rule it explains (groups[].rules[], found by its alert or record name)
  const groups = doc.get('groups');
  for (const group of isSeq(groups) ? groups.items : []) {
    const rules = isMap(group) ? group.get('rules') : undefined;
    for (const rule of isSeq(rules) ? rules.items : []) {
      const note = isMap(rule) ? ruleNotes.get(String(rule.get('alert') ?? rule.get('record'))) : undefined;
      if (note && isMap(rule))
        rule.commentBefore = note
          .split('\n')
          .map((l) => ` ${l}`)
          .join('\n');
    }
  }
  visit(doc, {
    Scalar(key, node: Scalar) {
      if (key !== 'key' && typeof node.value === 'string' && node.value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
    },
  });
  return doc.toString({ lineWidth: 0, indent: 2 });
}
