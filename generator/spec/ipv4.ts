/** Small IPv4 helpers; enough for subnets, fixed addresses and the VIP. */

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export interface Cidr {
  address: number;
  prefix: number;
  /** First address of the network. */
  network: number;
  /** Number of addresses in the network. */
  size: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const address = parseIpv4(match[1]!);
  const prefix = Number(match[2]);
  if (address === undefined || prefix < 1 || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { address, prefix, network: address - (address % size), size };
}

export function formatCidr(network: number, prefix: number): string {
  return `${formatIpv4(network)}/${prefix}`;
}

export function cidrContains(cidr: Cidr, address: number): boolean {
  return address >= cidr.network && address < cidr.network + cidr.size;
}

/** Why `text` is not an IPv4 address, in a few words (for messages); undefined when it is one. */
export function ipv4Problem(text: string): string | undefined {
  if (parseIpv4(text) !== undefined) return undefined;
  const parts = text.split('.');
  if (parts.length !== 4) return `an IPv4 address is four numbers separated by dots, not ${parts.length}`;
  const big = parts.find((p) => /^\d+$/.test(p) && Number(p) > 255);
  if (big !== undefined) return `${big} is above 255`;
  const odd = parts.find((p) => !/^(0|[1-9]\d{0,2})$/.test(p));
  return odd === '' ? 'a number is missing between two dots' : `${JSON.stringify(odd)} is not a number from 0 to 255 (without leading zeros)`;
}

/** Why `text` is not an address with a prefix length (192.168.1.100/24); undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
  if (parseCidr(text) !== undefined) return undefined;
  const slash = text.lastIndexOf('/');
  if (slash === -1) return 'the /prefix length is missing';
  const prefix = text.slice(slash + 1);
  return (
    ipv4Problem(text.slice(0, slash)) ??
    (/^\d{1,2}$/.test(prefix) ? `the prefix length ${prefix} is not between 1 and 32` : `${JSON.stringify(prefix)} is not a prefix length (1 to 32)`)
  );
}

/** The message for a value that should be an address with a prefix length: what is wrong, and the format. */
export function notACidr(text: string, what = 'an IPv4 address with a prefix length', example = '192.168.1.100/24'): string {
  return `${JSON.stringify(text)} is not ${what} (${cidrProblem(text) ?? 'unreadable'}); write it like ${example}`;
}

/** The message for a value that should be a plain IPv4 address. */
export function notAnIpv4(text: string, example = '192.168.1.17'): string {
  return `${JSON.stringify(text)} is not an IPv4 address (${ipv4Problem(text) ?? 'unreadable'}); write it like ${example}`;
}
