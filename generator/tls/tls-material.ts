/** A certificate and its private key, PEM. The key is secret: written 0600, never printed. */
export interface PemPair {
  certPem: string;
  keyPem: string;
}

/**
 * The TLS files of a cluster as the render needs them, prepared at the edge (prepare-tls.ts):
 * read from the cluster folder or the user's files, or issued now. Rendering stays pure.
 */
export interface TlsMaterial {
  /** The CA certificate(s) every node and client trusts (PEM): the one that signs first, then any previous one still trusted. */
  caPem: string;
  /** The CA's key, for generated certificates (kept in tls/ca.key, mounted nowhere). */
  caKeyPem: string | undefined;
  nodes: Record<string, PemPair>;
  /** nginx's pair, with clients: terminate. */
  loadBalancer: PemPair | undefined;
  /** What this run issued (node names, "load balancer", "CA"), for gen's report. */
  issued: string[];
}

/** What may be asked of prepareTls besides keeping what fits: issue these anew (rotate-certs). */
export interface TlsRenewal {
  /** Node names whose certificates are issued again, and/or the load balancer's. */
  nodes: readonly string[];
  loadBalancer: boolean;
  /**
   * new: a new CA signs from now on and is trusted beside the previous one (the overlap: node
   * certificates stay as they are until issued again); retire-previous: the bundle keeps only the
   * CA that signs, once nothing still in use was signed by the previous one.
   */
  ca?: 'new' | 'retire-previous';
}
