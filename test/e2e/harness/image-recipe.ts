import { createHash } from 'node:crypto';

/**
 * How a test image is made from Debian packages so that it behaves like the official `rabbitmq`
 * image where generated compose files rely on it: entrypoint/cmd, the rabbitmq user (uid/gid 999),
 * HOME and the cookie location, config paths, console logging, a volume on the data dir. nginx
 * (with the stream module) and keepalived ride along, so the load balancer containers can reuse
 * the image with a command override.
 */
export interface ImageRecipe {
  /** Tag the harness builds, e.g. rmq-compose-test/rabbitmq:3 */
  tag: string;
  /** Env var that points at a ready image instead (then nothing is built). */
  overrideVar: string;
  suite: 'bookworm' | 'trixie' | 'sid';
  rabbitmqVersion: string;
}

export const RECIPES = {
  v3: { tag: 'rmq-compose-test/rabbitmq:3', overrideVar: 'RMQ_TEST_IMAGE_3', suite: 'bookworm', rabbitmqVersion: '3.10.8' },
  v4: { tag: 'rmq-compose-test/rabbitmq:4', overrideVar: 'RMQ_TEST_IMAGE_4', suite: 'trixie', rabbitmqVersion: '4.0.5' },
  // the current line: Khepri only, no Mnesia, no RAM nodes, no partition-handling strategies
  v43: { tag: 'rmq-compose-test/rabbitmq:4.3', overrideVar: 'RMQ_TEST_IMAGE_43', suite: 'sid', rabbitmqVersion: '4.3.6' },
} as const satisfies Record<string, ImageRecipe>;

export const RECIPE_LABEL = 'io.rmq-compose.test.recipe';

export const PACKAGES = ['rabbitmq-server', 'nginx-light', 'libnginx-mod-stream', 'keepalived', 'iproute2', 'procps', 'bash', 'util-linux', 'ca-certificates'];

/** The official image's entrypoint, minus its long-gone environment-variable config generation. */
export const ENTRYPOINT_SH = `#!/bin/bash
set -euo pipefail

# allow the container to be started with --user; otherwise drop root for every rabbitmq* command
if [[ "$1" == rabbitmq* ]] && [ "$(id -u)" = '0' ]; then
	if [ "$1" = 'rabbitmq-server' ]; then
		find /var/lib/rabbitmq /var/log/rabbitmq \\! -user rabbitmq -exec chown rabbitmq:rabbitmq '{}' +
	fi
	exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$BASH_SOURCE" "$@"
fi

# like the official image: these were turned into config file settings in 3.9
for old in RABBITMQ_DEFAULT_PASS_FILE RABBITMQ_DEFAULT_USER_FILE RABBITMQ_MANAGEMENT_SSL_CACERTFILE \\
	RABBITMQ_MANAGEMENT_SSL_CERTFILE RABBITMQ_MANAGEMENT_SSL_DEPTH RABBITMQ_MANAGEMENT_SSL_FAIL_IF_NO_PEER_CERT \\
	RABBITMQ_MANAGEMENT_SSL_KEYFILE RABBITMQ_MANAGEMENT_SSL_VERIFY RABBITMQ_SSL_CACERTFILE RABBITMQ_SSL_CERTFILE \\
	RABBITMQ_SSL_DEPTH RABBITMQ_SSL_FAIL_IF_NO_PEER_CERT RABBITMQ_SSL_KEYFILE RABBITMQ_SSL_VERIFY \\
	RABBITMQ_VM_MEMORY_HIGH_WATERMARK; do
	if [ -n "\${!old:-}" ]; then
		echo >&2 "error: $old is set but deprecated; use a configuration file instead"
		exit 1
	fi
done

exec "$@"
`;

/** Same content as the official image's conf.d/10-defaults.conf. */
export const DEFAULTS_CONF = `loopback_users.guest = false
log.console = true
`;

/**
 * Runs inside the debootstrapped root (chroot, no /proc). Debian gives the rabbitmq user whatever
 * system uid is next (101 here); the official image uses 999, and volumes written by one should
 * stay readable by the other, so the ids are moved when 999 is free.
 */
export const CUSTOMIZE_SH = `#!/bin/sh
set -eu
old_uid=$(id -u rabbitmq); old_gid=$(id -g rabbitmq)
getent group 999 >/dev/null || groupmod -g 999 rabbitmq
getent passwd 999 >/dev/null || usermod -u 999 rabbitmq
uid=$(id -u rabbitmq); gid=$(id -g rabbitmq)
[ "$old_uid" = "$uid" ] || find / -xdev -uid "$old_uid" -exec chown -h "$uid" '{}' +
[ "$old_gid" = "$gid" ] || find / -xdev -gid "$old_gid" -exec chgrp -h "$gid" '{}' +

# the package's postinst generated a cookie and an empty mnesia dir: no node identity in the image
rm -rf /var/lib/rabbitmq /var/log/rabbitmq
mkdir -p /var/lib/rabbitmq /var/log/rabbitmq /etc/rabbitmq/conf.d
chown rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq /etc/rabbitmq /etc/rabbitmq/conf.d
chmod 1777 /var/lib/rabbitmq /var/log/rabbitmq /etc/rabbitmq /etc/rabbitmq/conf.d
ln -sf /var/lib/rabbitmq/.erlang.cookie /root/.erlang.cookie
install -m 0644 -o rabbitmq -g rabbitmq /tmp/recipe/10-defaults.conf /etc/rabbitmq/conf.d/10-defaults.conf
echo '[rabbitmq_prometheus].' > /etc/rabbitmq/enabled_plugins
# one plugins dir, like the official image's (and its /plugins link): Debian's default path also
# names /usr/lib/rabbitmq/plugins, which does not exist, and the 4.0 rabbitmq-plugins then fails
# with plugins_dir_does_not_exist (Debian's own /usr/sbin wrapper sets PLUGINS_DIR for that)
set -- /usr/lib/rabbitmq/lib/rabbitmq_server-*/plugins
[ "$#" = 1 ] && [ -d "$1" ]
ln -s "$1" /plugins
chown rabbitmq:rabbitmq /etc/rabbitmq/enabled_plugins
install -m 0755 /tmp/recipe/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh

# nginx logs to the container's output, as in the official nginx image
ln -sf /dev/stdout /var/log/nginx/access.log
ln -sf /dev/stderr /var/log/nginx/error.log

apt-get clean
rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* /usr/share/info/* /var/cache/debconf/*-old /tmp/recipe
: > /etc/resolv.conf
: > /etc/hostname
`;

/** docker import --change lines: what a Dockerfile would say after its RUNs. */
export function importChanges(recipeHash: string): string[] {
  return [
    'ENV HOME=/var/lib/rabbitmq',
    // Debian's raw scripts first: the /usr/sbin wrappers send the server's output to a log file
    'ENV PATH=/usr/lib/rabbitmq/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'ENV RABBITMQ_PLUGINS_DIR=/plugins',
    'ENV LANG=C.UTF-8',
    'ENV LANGUAGE=C.UTF-8',
    'ENV LC_ALL=C.UTF-8',
    'VOLUME /var/lib/rabbitmq',
    'EXPOSE 4369 5671 5672 15671 15672 15691 15692 25672 1883',
    'ENTRYPOINT ["docker-entrypoint.sh"]',
    'CMD ["rabbitmq-server"]',
    `LABEL ${RECIPE_LABEL}=${recipeHash}`,
  ];
}

/** Changes whenever anything above changes for that suite; the image is rebuilt then. */
export function recipeHash(recipe: ImageRecipe): string {
  const parts = [recipe.suite, PACKAGES.join(','), ENTRYPOINT_SH, DEFAULTS_CONF, CUSTOMIZE_SH, importChanges('').join('\n')];
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}
