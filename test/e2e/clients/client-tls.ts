/**
 * The CA the e2e clients trust for amqps:// and mqtts:// URLs (the cluster's tls/ca.pem), set by a
 * test that deploys with TLS. Node's TLS then checks the broker's certificate against it and the
 * name in the URL (the VIP) against the certificate's names, as a real client does.
 */
let trusted: string | undefined;

export function trustClusterCa(caPem: string | undefined): void {
  trusted = caPem;
}

/** amqplib's connect options for `url`: the timeout, and the trusted CA for amqps. */
export function amqpConnectOptions(url: string, timeout: number): { timeout: number; ca?: string[] } {
  if (!url.startsWith('amqps:')) return { timeout };
  if (!trusted) throw new Error('an amqps:// URL and no CA to check the broker against: call trustClusterCa first');
  return { timeout, ca: [trusted] };
}

export function mqttTlsOptions(url: string): { ca?: string[]; rejectUnauthorized?: boolean } {
  if (!url.startsWith('mqtts:')) return {};
  if (!trusted) throw new Error('an mqtts:// URL and no CA to check the broker against: call trustClusterCa first');
  return { ca: [trusted], rejectUnauthorized: true };
}
