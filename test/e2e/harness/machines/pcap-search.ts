import { parsePcap, type PcapPacket } from './pcap-file.js';

/**
 * Did any of these bytes cross the wire in clear? Looked for three ways, so that a "not found"
 * means something: in each packet's captured bytes (headers included), in each TCP direction's
 * reassembled byte stream (a needle may straddle two segments), and in the raw file as a backstop
 * (whatever the decoder did not understand). Pure: usable from the e2e and the bench alike.
 */
export interface NeedleHits {
  needle: string | Buffer;
  /** Packets whose captured bytes contain it. */
  packets: number;
  /** TCP directions (and UDP flows) whose concatenated payload contains it. */
  flows: number;
  /** The pcap file itself contains it (record headers and all). */
  inFile: boolean;
  found: boolean;
}

export interface CaptureSearch {
  /** Packets in the capture. */
  packets: number;
  /** The file ended inside a record (tcpdump killed mid-write): the whole records were searched. */
  truncated: boolean;
  hits: NeedleHits[];
}

export function findInCapture(pcap: Buffer, needles: Array<string | Buffer>): CaptureSearch {
  const file = parsePcap(pcap);
  const streams = [...flowStreams(file.packets).values()];
  const hits = needles.map((needle): NeedleHits => {
    const bytes = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : needle;
    if (bytes.length === 0) throw new Error('findInCapture: an empty needle is found everywhere');
    const packets = file.packets.filter((p) => p.data.includes(bytes)).length;
    const flows = streams.filter((s) => s.includes(bytes)).length;
    const inFile = pcap.includes(bytes);
    return { needle, packets, flows, inFile, found: packets > 0 || flows > 0 || inFile };
  });
  return { packets: file.packets.length, truncated: file.truncated, hits };
}

/**
 * Each direction's payload in sequence order as far as capture order allows: a segment wholly
 * before what the stream already has is a retransmission and skipped, an overlapping one adds only
 * its new bytes, a gap (a segment the capture missed) is closed up. Good enough to catch a needle
 * split across segments; segments reordered on the wire are the raw-file backstop's business.
 */
function flowStreams(packets: PcapPacket[]): Map<string, Buffer> {
  const flows = new Map<string, { next?: number; chunks: Buffer[] }>();
  for (const { transport: t } of packets) {
    if (!t || t.payload.length === 0) continue;
    let flow = flows.get(t.flow);
    if (!flow) flows.set(t.flow, (flow = { chunks: [] }));
    if (t.protocol === 'udp' || flow.next === undefined) {
      flow.chunks.push(t.payload);
    } else {
      // signed 32-bit distance: sequence numbers wrap
      const ahead = (t.seq - flow.next) | 0;
      if (ahead < 0 && t.payload.length <= -ahead) continue;
      flow.chunks.push(ahead < 0 ? t.payload.subarray(-ahead) : t.payload);
    }
    flow.next = (t.seq + t.payload.length) >>> 0;
  }
  return new Map([...flows].map(([key, flow]) => [key, Buffer.concat(flow.chunks)]));
}
