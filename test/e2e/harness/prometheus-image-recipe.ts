import { createHash } from 'node:crypto';
import { RECIPE_LABEL } from './image-recipe.js';

/**
 * The Prometheus test image, from Debian trixie's `prometheus` package (2.53), made to behave
 * like prom/prometheus where the generated compose file relies on it: the entrypoint is the
 * server binary, the arguments name the config, and /prometheus is a volume its user can write
 * (the compose file names --storage.tsdb.path=/prometheus and mounts a named volume there,
 * which Docker fills with the image folder's owner and mode). Built only by
 * ensurePrometheusImage, never with the RabbitMQ images.
 */
export const PROMETHEUS_RECIPE = {
  tag: 'rmq-compose-test/prometheus:trixie',
  overrideVar: 'RMQ_TEST_IMAGE_PROMETHEUS',
  suite: 'trixie',
} as const;

export const PROMETHEUS_PACKAGES = ['prometheus', 'ca-certificates'];

/** Runs inside the debootstrapped root (chroot, no /proc); the package's postinst made the prometheus user. */
export const PROMETHEUS_CUSTOMIZE_SH = `#!/bin/sh
set -eu
id prometheus >/dev/null
mkdir -p /prometheus /etc/prometheus
chown prometheus:prometheus /prometheus
chmod 0775 /prometheus

apt-get clean
rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* /usr/share/info/* /var/cache/debconf/*-old /tmp/recipe
: > /etc/resolv.conf
: > /etc/hostname
`;

/** docker import --change lines: prom/prometheus's user, entrypoint, default command, volume and port. */
export function prometheusImportChanges(recipeHash: string): string[] {
  return [
    'ENV LANG=C.UTF-8',
    'USER prometheus',
    'WORKDIR /prometheus',
    'VOLUME /prometheus',
    'EXPOSE 9090',
    'ENTRYPOINT ["/usr/bin/prometheus"]',
    'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]',
    `LABEL ${RECIPE_LABEL}=${recipeHash}`,
  ];
}

/** Changes whenever anything above changes; the image is rebuilt then. */
export function prometheusRecipeHash(): string {
  const parts = [PROMETHEUS_RECIPE.suite, PROMETHEUS_PACKAGES.join(','), PROMETHEUS_CUSTOMIZE_SH, prometheusImportChanges('').join('\n')];
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}
