/**
 * Where TLS material lives, in the cluster folder and inside the containers. The generator writes
 * these paths and names them in the manifest; rotate-certs replaces the files; ops reads the CA.
 */

/** In the cluster folder: the CA and every certificate and key (keys 0600, git-ignored). */
export const TLS_DIR = 'tls';
export const CA_CERT_FILE = `${TLS_DIR}/ca.pem`;
export const CA_KEY_FILE = `${TLS_DIR}/ca.key`;
export const nodeCertFile = (node: string): string => `${TLS_DIR}/${node}.pem`;
export const nodeKeyFile = (node: string): string => `${TLS_DIR}/${node}.key`;
export const LB_CERT_FILE = `${TLS_DIR}/lb.pem`;
export const LB_KEY_FILE = `${TLS_DIR}/lb.key`;

/**
 * Inside a node container: the files are mounted read-only under STAGED (owned by root, 0400 for
 * the key, like the host file), and entrypoint.sh installs copies the rabbitmq user can read under
 * INSTALLED, where rabbitmq.conf and the ssl_dist options file point.
 */
export const NODE_TLS_STAGED = '/etc/rabbitmq-compose/tls';
export const NODE_TLS_INSTALLED = '/etc/rabbitmq/tls';
export const NODE_TLS_NAMES = { ca: 'ca.pem', cert: 'node.pem', key: 'node.key' } as const;
/** Erlang's ssl_dist options file (inter-node TLS), in the node container. */
export const SSL_DIST_FILE = '/etc/rabbitmq/inter_node_tls.config';
/** nginx's certificate, key and the CA it verifies the brokers with (terminate mode). */
export const NGINX_TLS_DIR = '/etc/nginx/tls';
