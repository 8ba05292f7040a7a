/**
 * Reads a classic libpcap file (what `tcpdump -w` writes; not pcapng) without any library, so the
 * e2e and the bench can look inside a capture with nothing installed: the 24-byte global header,
 * then one 16-byte record header per packet followed by its captured bytes. Both byte orders and
 * the nanosecond variant are accepted (the magic number says which); a capture cut short (tcpdump
 * killed mid-write) keeps the packets that are whole and says it was truncated.
 */

export interface PcapPacket {
  /** The captured bytes of the frame (at most the snap length). */
  data: Buffer;
  /** TCP or UDP payload, when the frame decodes to one. */
  transport?: { protocol: 'tcp' | 'udp'; flow: string; seq: number; payload: Buffer };
}

export interface PcapFile {
  linkType: number;
  packets: PcapPacket[];
  truncated: boolean;
}

const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

/** Link types tcpdump writes on Linux: Ethernet (lo and bridges), cooked v1/v2 (`-i any`), raw IP, BSD loopback. */
const LINKTYPE = { null: 0, ethernet: 1, raw: 101, linuxSll: 113, linuxSll2: 276 } as const;

export function parsePcap(file: Buffer): PcapFile {
  if (file.length < GLOBAL_HEADER) throw new Error(`not a pcap file: ${file.length} bytes, shorter than its 24-byte header`);
  const magicLe = file.readUInt32LE(0);
  const magicBe = file.readUInt32BE(0);
  let le: boolean;
  if (magicLe === MAGIC_MICRO || magicLe === MAGIC_NANO) le = true;
  else if (magicBe === MAGIC_MICRO || magicBe === MAGIC_NANO) le = false;
  else throw new Error(`not a classic pcap file (magic 0x${magicBe.toString(16).padStart(8, '0')}; pcapng is not read here: capture with tcpdump -w)`);
  const u32 = (offset: number) => (le ? file.readUInt32LE(offset) : file.readUInt32BE(offset));
  // the upper bits of this field may carry FCS information (pcap spec), the link type is the low 16
  const linkType = u32(20) & 0xffff;
  const packets: PcapPacket[] = [];
  let offset = GLOBAL_HEADER;
  let truncated = false;
  while (offset < file.length) {
    if (offset + RECORD_HEADER > file.length) {
      truncated = true;
      break;
    }
    const captured = u32(offset + 8);
    const start = offset + RECORD_HEADER;
    if (start + captured > file.length) {
      truncated = true;
      break;
    }
    const data = file.subarray(start, start + captured);
    packets.push({ data, transport: decodeTransport(linkType, data) });
    offset = start + captured;
  }
  return { linkType, packets, truncated };
}

/** Ethertype and where the network header starts, per link type; undefined when it is not IP. */
function networkLayer(linkType: number, frame: Buffer): { etherType: number; offset: number } | undefined {
  if (linkType === LINKTYPE.ethernet) {
    if (frame.length < 14) return undefined;
    let offset = 12;
    let etherType = frame.readUInt16BE(offset);
    // 802.1Q / 802.1ad tags, possibly stacked
    while ((etherType === 0x8100 || etherType === 0x88a8) && frame.length >= offset + 6) {
      offset += 4;
      etherType = frame.readUInt16BE(offset);
    }
    return { etherType, offset: offset + 2 };
  }
  if (linkType === LINKTYPE.linuxSll) return frame.length >= 16 ? { etherType: frame.readUInt16BE(14), offset: 16 } : undefined;
  if (linkType === LINKTYPE.linuxSll2) return frame.length >= 20 ? { etherType: frame.readUInt16BE(0), offset: 20 } : undefined;
  if (linkType === LINKTYPE.raw || linkType === LINKTYPE.null) {
    const offset = linkType === LINKTYPE.null ? 4 : 0;
    const version = (frame[offset] ?? 0) >> 4;
    return version === 4 ? { etherType: 0x0800, offset } : version === 6 ? { etherType: 0x86dd, offset } : undefined;
  }
  return undefined;
}

function decodeTransport(linkType: number, frame: Buffer): PcapPacket['transport'] {
  const net = networkLayer(linkType, frame);
  if (!net) return undefined;
  let protocol: number;
  let src: string;
  let dst: string;
  let offset: number;
  let end: number;
  if (net.etherType === 0x0800) {
    const ip = frame.subarray(net.offset);
    if (ip.length < 20) return undefined;
    const headerLength = (ip[0]! & 0x0f) * 4;
    // a later fragment holds no transport header: its bytes are still searched as a packet
    if ((ip.readUInt16BE(6) & 0x1fff) !== 0) return undefined;
    protocol = ip[9]!;
    src = [...ip.subarray(12, 16)].join('.');
    dst = [...ip.subarray(16, 20)].join('.');
    offset = net.offset + headerLength;
    // trailing Ethernet padding is not payload
    end = Math.min(frame.length, net.offset + ip.readUInt16BE(2));
  } else if (net.etherType === 0x86dd) {
    const ip = frame.subarray(net.offset);
    if (ip.length < 40) return undefined;
    // extension headers are not followed: TCP and UDP directly after the fixed header only
    protocol = ip[6]!;
    src = ip.subarray(8, 24).toString('hex');
    dst = ip.subarray(24, 40).toString('hex');
    offset = net.offset + 40;
    end = Math.min(frame.length, offset + ip.readUInt16BE(4));
  } else {
    return undefined;
  }
  const l4 = frame.subarray(offset, end);
  if (protocol === 6 && l4.length >= 20) {
    const dataOffset = (l4[12]! >> 4) * 4;
    return {
      protocol: 'tcp',
      flow: `tcp ${src}:${l4.readUInt16BE(0)} > ${dst}:${l4.readUInt16BE(2)}`,
      seq: l4.readUInt32BE(4),
      payload: l4.subarray(dataOffset),
    };
  }
  if (protocol === 17 && l4.length >= 8) {
    return { protocol: 'udp', flow: `udp ${src}:${l4.readUInt16BE(0)} > ${dst}:${l4.readUInt16BE(2)}`, seq: 0, payload: l4.subarray(8) };
  }
  return undefined;
}
