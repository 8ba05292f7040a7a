/**
 * Protocols a RabbitMQ node can publish a host port for, in the order the generator counts
 * default ports up. The spec, the model, the manifest and `status` all take the list from here.
 */
export const NODE_PORT_NAMES = ['amqp', 'management', 'mqtt', 'stomp', 'stream'] as const;
export type NodePortName = (typeof NODE_PORT_NAMES)[number];

/** The port each protocol listens on inside a node container. */
export const CONTAINER_PORTS: Readonly<Record<NodePortName, number>> = {
  amqp: 5672,
  management: 15672,
  mqtt: 1883,
  stomp: 61613,
  stream: 5552,
};

/**
 * Where the rabbitmq_prometheus plugin serves a node's metrics inside its container: the
 * plugin's default `prometheus.tcp.port` (rabbitmq.com/docs/prometheus#port). Ops reads it here
 * too, to ask a node for its metrics.
 */
export const RABBITMQ_METRICS_PORT = 15692;

/** Prometheus' web UI and HTTP API inside its container (its default `--web.listen-address`). */
export const PROMETHEUS_CONTAINER_PORT = 9090;
