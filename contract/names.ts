/**
 * Shapes of the names that reach a command line or a config file. The spec rules and the
 * manifest schema both use these, so a hand-edited manifest is held to what the spec allows:
 * nothing here can start with "-" (an option to docker or rabbitmqctl), hold "/" or "..", or a
 * control character.
 */

/** Cluster name: also the default Compose project and the output folder name. */
export const CLUSTER_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;
/** Compose project name (`-p`), as Compose itself accepts it. */
export const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
/** One DNS label: node hostnames and machine names. */
export const HOSTNAME_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** Compose service names. */
export const SERVICE_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
/** Erlang node name `rabbit@<host>`. */
export const ERLANG_NODE = /^[A-Za-z0-9_-]+@[a-z0-9]([a-z0-9.-]{0,252}[a-z0-9])?$/;
/** Environment variable name (the .env keys the manifest points to). */
export const ENV_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Plugin names as RabbitMQ spells them. */
export const PLUGIN_NAME = /^rabbitmq_[a-z0-9_]+$/;
/** Policy names (the spec's policies[].name and the mirror-policy action). */
export const POLICY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * A path inside the cluster folder, relative, with "/" separators: no absolute path, no "..",
 * no empty or hidden-dot segment tricks, no character a shell or YAML would read specially.
 */
export const RELATIVE_PATH = /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9_.][A-Za-z0-9_./-]{0,254}$/;

/**
 * How to reach a machine's Docker engine: a DOCKER_HOST URL (ssh://user@host[:port],
 * tcp://host:port, unix:///path) or a docker context name.
 */
export const DOCKER_HOST_URL =
  /^(ssh:\/\/[A-Za-z0-9._-]{1,64}@[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|tcp:\/\/[A-Za-z0-9.-]{1,253}:[0-9]{1,5}|unix:\/\/\/[A-Za-z0-9._/-]{1,200})$/;
export const DOCKER_CONTEXT = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;

export function isDockerEndpoint(value: string): boolean {
  return DOCKER_HOST_URL.test(value) || DOCKER_CONTEXT.test(value);
}

/** Control characters (C0, DEL, C1): never allowed in anything written to a config file. */
// eslint-disable-next-line no-control-regex -- matching control characters is what this line is for
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A Docker image reference: [registry[:port]/]path[:tag][@sha256:digest], lowercase path parts as
 * Docker requires. What `upgrade --to` accepts from a terminal or Slack before it reaches docker.
 */
export const IMAGE_REFERENCE =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\.[a-z0-9-]+)*(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
