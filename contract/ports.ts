/**
 * Protocols a RabbitMQ node can publish a host port for, in the order the generator counts
 * default ports up. The spec, the model, the manifest and `status` all take the list from here.
 */
export const NODE_PORT_NAMES = ['amqp', 'management', 'mqtt', 'stomp', 'stream', 'amqps', 'mqtts', 'https'] as const;
export type NodePortName = (typeof NODE_PORT_NAMES)[number];

/** The port each protocol listens on inside a node container. */
export const CONTAINER_PORTS: Readonly<Record<NodePortName, number>> = {
  amqp: 5672,
  management: 15672,
  mqtt: 1883,
  stomp: 61613,
  stream: 5552,
  // TLS listeners (spec `tls:`): AMQP 0-9-1 over TLS, MQTT over TLS, the management UI and API over HTTPS
  amqps: 5671,
  mqtts: 8883,
  https: 15671,
};

/** The protocols that carry TLS, and the plain protocol each one replaces. */
export const TLS_PROTOCOLS: Readonly<Partial<Record<NodePortName, NodePortName>>> = { amqps: 'amqp', mqtts: 'mqtt', https: 'management' };

/**
 * Where the rabbitmq_prometheus plugin serves a node's metrics inside its container: the
 * plugin's default `prometheus.tcp.port` (rabbitmq.com/docs/prometheus#port). Ops reads it here
 * too, to ask a node for its metrics.
 */
export const RABBITMQ_METRICS_PORT = 15692;

/** Prometheus' web UI and HTTP API inside its container (its default `--web.listen-address`). */
export const PROMETHEUS_CONTAINER_PORT = 9090;

/**
 * Erlang distribution inside a node container, on the same port numbers on the machine when
 * nodes span machines: epmd (which tells a peer the node's port) and the node's own listener
 * (RabbitMQ's default 20000 + AMQP port). Clustering and rabbitmqctl need both.
 */
export const EPMD_PORT = 4369;
export const ERLANG_DISTRIBUTION_PORT = 25672;
export const DISTRIBUTION_PORTS: ReadonlyArray<{ port: number; what: string }> = [
  { port: EPMD_PORT, what: 'epmd' },
  { port: ERLANG_DISTRIBUTION_PORT, what: 'Erlang distribution' },
];
