/**
 * The names of what lives in a generated cluster folder. The generator writes the first three;
 * the operations core adds the audit log and keeps its lock state under STATE_DIR. One list, so
 * the folder's .gitignore, the loader and the lock never disagree.
 */
export const MANIFEST_FILE = 'rmq-compose.json';
export const ENV_FILE = '.env';
export const GITIGNORE_FILE = '.gitignore';
export const AUDIT_LOG_FILE = 'audit.log';
/** Private state of the operations commands (the lock); never generated, never committed. */
export const STATE_DIR = '.rmq-compose';

/** `backup` writes definitions exports here (mode 0600: they hold password hashes). */
export const BACKUPS_DIR = 'backups';

/**
 * What the cluster folder's .gitignore keeps out of git: secrets, audit log, lock state, backups.
 * The generator adds each file it writes mode 0600 (those holding password hashes, such as
 * rabbitmq/definitions.json), by its path.
 */
// `*.hand-edited-*`: what gen --force keeps aside may be a private file (definitions, a key)
// `*.deb`: the keepalived image's offline package cache (keepalived/debs/), binaries of a few MB
export const GITIGNORED = [ENV_FILE, `${STATE_DIR}/`, AUDIT_LOG_FILE, `${BACKUPS_DIR}/`, '*.hand-edited-*', '*.deb'] as const;
