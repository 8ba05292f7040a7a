import { InvalidArgumentError } from '../errors.js';

/**
 * AMQP 0-9-1 URIs as RabbitMQ reads them. docs/uri-spec (4.0):
 *   amqp_URI = "amqp://" amqp_authority [ "/" vhost ]; amqp_userinfo = username [ ":" password ];
 *   username, password = *( unreserved / pct-encoded / sub-delims ); vhost = segment
 * "any "/" characters that appear in the vhost name must be percent-encoded", and percent-encoded
 * octets in the username, password and vhost are decoded, as UTF-8, before use. The parser the
 * shovel uses (amqp_client amqp_uri.erl, 3.10.8) splits the user info at ":" and refuses a
 * vhost holding a "/". So everything outside RFC 3986's unreserved set is percent-encoded here:
 * always valid, and never read as a delimiter.
 */

export interface AmqpEndpoint {
  /** Omitted with `pass` and `host`: a direct connection to the local node (the shovel's own cluster). */
  user?: string;
  pass?: string;
  /** Host name, IPv4 or IPv6 address; omitted: direct connection ("amqp:///vhost"). */
  host?: string;
  port?: number;
  vhost: string;
  /** amqps:// (TLS). */
  tls?: boolean;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-encodes every UTF-8 byte outside RFC 3986's unreserved characters. */
export function encodeUriComponentStrict(text: string): string {
  let out = '';
  for (const char of text) {
    if (UNRESERVED.test(char)) out += char;
    else for (const byte of new TextEncoder().encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function amqpUri(e: AmqpEndpoint): string {
  if (e.vhost === '') throw new InvalidArgumentError('an AMQP URI needs a vhost ("/" is written %2F)');
  const scheme = e.tls ? 'amqps' : 'amqp';
  const vhost = encodeUriComponentStrict(e.vhost);
  if (e.host === undefined || e.host === '') {
    // amqp_uri.erl: no host means a direct connection; a port without a host is refused, and credentials would be ignored
    if (e.user !== undefined || e.pass !== undefined || e.port !== undefined)
      throw new InvalidArgumentError('a direct AMQP URI (no host) takes no user, password or port');
    return `${scheme}:///${vhost}`;
  }
  if (e.pass !== undefined && e.user === undefined) throw new InvalidArgumentError('an AMQP URI with a password needs a user');
  if (e.port !== undefined && !(Number.isInteger(e.port) && e.port >= 1 && e.port <= 65535))
    throw new InvalidArgumentError(`AMQP port ${e.port} is not between 1 and 65535`);
  const host = /^[A-Za-z0-9._-]+$/.test(e.host) ? e.host : /^[0-9A-Fa-f:.]+$/.test(e.host) && e.host.includes(':') ? `[${e.host}]` : undefined;
  if (host === undefined) throw new InvalidArgumentError(`"${e.host}" is not a host name or IP address`);
  const userinfo = e.user === undefined ? '' : `${encodeUriComponentStrict(e.user)}${e.pass === undefined ? '' : `:${encodeUriComponentStrict(e.pass)}`}@`;
  return `${scheme}://${userinfo}${host}${e.port === undefined ? '' : `:${e.port}`}/${vhost}`;
}

const USERINFO = /^(amqps?:\/\/)([^@/?#]*)@/i;

/** The URI with its password replaced by ****: safe to print, log or audit. */
export function maskAmqpUri(uri: string): string {
  return uri.replace(USERINFO, (_all, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:****@`;
  });
}

/** The password of a URI as written (percent-encoded) and as decoded: the strings a display must never show. */
export function uriSecrets(uri: string): string[] {
  const userinfo = USERINFO.exec(uri)?.[2];
  const colon = userinfo?.indexOf(':') ?? -1;
  if (userinfo === undefined || colon < 0) return [];
  const written = userinfo.slice(colon + 1);
  let decoded = written;
  try {
    decoded = decodeURIComponent(written);
  } catch {
    // not valid percent-encoding: RabbitMQ would refuse the URI; the written form is still masked
  }
  return [...new Set([written, decoded])].filter((s) => s !== '');
}
