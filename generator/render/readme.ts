import type { ClusterModel } from '../spec/model.js';
import { hasDefinitionsBackend, supportsMirroring } from '../spec/version.js';
import { renderTemplate } from './templates.js';
import { carriesFilesInline } from './compose/file-delivery.js';
import { machinePorts } from './machine-ports.js';
import { monitoringText } from './readme-monitoring.js';
import { tlsText } from './readme-tls.js';
import { file, type RenderedFile } from './rendered-file.js';
import { escapeControlCharacters } from './escape-control-characters.js';
import type { BootDefinitionsRender } from '../definitions/boot-definitions.js';

/** The cluster's own README: what was generated, how to start it, ports, runbook. */
export function readmeFile(
  model: ClusterModel,
  header: string,
  definitions: BootDefinitionsRender | undefined,
  privateCompose: readonly string[],
): RenderedFile {
  const r = model.rabbitmq;
  const lb = model.loadBalancer;
  const vip = lb?.keepalived?.virtualIp.split('/')[0];
  const mirroring = supportsMirroring(r.version);
  const hasMirrorPolicy = model.policies.some((p) => Object.keys(p.definition).some((k) => k.startsWith('ha-')));
  const addressOf = new Map(model.hosts.map((h) => [h.name, h.address]));
  return file(
    'README.md',
    renderTemplate('README.md.hbs', {
      header,
      name: model.name,
      project: model.project,
      nodeCount: model.nodes.length,
      version: r.version.text,
      image: r.image,
      formation: r.formation,
      formationText:
        r.formation === 'auto'
          ? 'Nodes find each other at boot (classic peer discovery); no manual join.'
          : 'The seed’s way: nodes start alone and are joined with `rabbitmqctl join_cluster` by `rmq-compose deploy`.',
      replicationTitle: mirroring ? (hasMirrorPolicy ? 'mirrored classic queues' : 'none by default (3.x)') : 'quorum queues',
      replicationText: mirroring
        ? hasMirrorPolicy
          ? 'RabbitMQ 3.x: the ha-* policies copy every matching queue to other nodes, so losing a node loses no messages. Mirroring is deprecated and gone in 4.0: quorum queues are the way forward.'
          : 'RabbitMQ 3.x without a mirroring policy: each queue lives on one node (the seed’s “default cluster mode”). Add an ha-* policy or declare quorum queues.'
        : `RabbitMQ ${r.version.text} has no classic queue mirroring (removed in 4.0). Declare queues with \`x-queue-type: quorum\`: they replicate across nodes and survive the loss of a minority.`,
      plugins: r.plugins.join(', '),
      addedPlugins: r.addedPlugins.join(', '),
      monitoringPlugins: r.monitoringPlugins.join(', '),
      monitoring: monitoringText(model),
      tls: tlsText(model),
      virtualIp: vip ?? null,
      multiHost: model.multiHost,
      remoteHosts: model.hosts
        .filter((h) => carriesFilesInline(model, h) && (h.nodes.length > 0 || h.loadBalancer || h.name === model.monitoring?.host))
        .map((h) => h.name)
        .join(', '),
      manual: r.formation === 'manual',
      hasRam: model.nodes.some((n) => n.type === 'ram'),
      firstNode: model.nodes[0]!.erlangNode,
      firstService: model.nodes[0]!.name,
      mirroring,
      loadBalancer: Boolean(lb),
      nodes: model.nodes.map((n) => ({
        name: n.name,
        erlangNode: n.erlangNode,
        type: n.type,
        host: model.multiHost ? `${n.host} (${addressOf.get(n.host)})` : (n.address ?? 'local'),
        amqp: n.ports.amqp ?? '–',
        management: n.ports.management ?? '–',
        other:
          Object.entries(n.ports)
            .filter(([p]) => p !== 'amqp' && p !== 'management')
            .map(([p, port]) => `${p} ${port}`)
            .join(', ') || '–',
      })),
      listeners: (lb?.listeners ?? []).map((l) => ({
        protocol: l.protocol,
        port: l.port,
        reach: vip ? `${vip}:${l.port}` : model.multiHost ? lb!.instances.map((i) => `${i.address}:${l.port}`).join(', ') : `this host:${l.port}`,
      })),
      lbText: lbText(model),
      machinePorts: machinePorts(model),
      publishExample: publishExample(model),
      definitions: definitionsText(model, definitions, privateCompose),
    }),
  );
}

/** `<address>:<port>` of the first node's first published port, as its compose file writes it. */
function publishExample(model: ClusterModel): string {
  const node = model.nodes[0]!;
  const address = model.hosts.find((h) => h.name === node.host)?.address;
  const port = Object.values(node.ports)[0] ?? 4369;
  return `${address}:${port}`;
}

function lbText(model: ClusterModel): string {
  const lb = model.loadBalancer;
  if (!lb) return '';
  if (!lb.keepalived) return 'One nginx instance publishes the listener ports on this host.';
  if (lb.networkMode === 'host') {
    return `nginx and keepalived run with host networking on ${lb.instances.map((i) => i.name).join(' and ')}; keepalived (unicast VRRP, router id ${lb.keepalived.virtualRouterId}) puts ${lb.keepalived.virtualIp} on ${lb.keepalived.interface} of the MASTER and moves it when the machine or its nginx stops answering.`;
  }
  return `${lb.instances.length} nginx instances, each sharing a network namespace with its keepalived (held by a third container, \`<lb>-netns\`, so either can restart alone), on the cluster network ${model.network.subnet}; ${lb.keepalived.virtualIp} floats between them (reachable from this machine). The listener ports are also published on this host, by ${lb.instances[0]!.name} only (one host port, one container): they do not fail over. To float a VIP on your LAN, describe the machines under \`hosts:\`.`;
}

/** What the README says of the boot definitions. */
function definitionsText(model: ClusterModel, definitions: BootDefinitionsRender | undefined, privateCompose: readonly string[]) {
  const r = model.rabbitmq;
  if (r.definitionsFile === undefined || !definitions) return null;
  return {
    source: escapeControlCharacters(r.definitionsFile),
    // a user name from the environment is shown as its variable, like everything from .env
    user: r.defaultUser.kind === 'plain' ? r.defaultUser.value : `\${${r.defaultUser.variable}}`,
    addsUser: definitions.addedUser,
    addsVhost: definitions.addedVhost,
    skipIfUnchanged: hasDefinitionsBackend(r.version),
    privateCompose: privateCompose.map((p) => `\`${p}\``).join(', '),
  };
}
