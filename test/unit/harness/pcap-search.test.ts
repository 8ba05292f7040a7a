import { parsePcap } from '../../e2e/harness/machines/pcap-file.js';
import { findInCapture } from '../../e2e/harness/machines/pcap-search.js';

/**
 * The pcap reader on files made here byte by byte: both byte orders, the nanosecond magic, a file
 * cut inside a record, TCP reassembly across segments and retransmissions, the cooked link type
 * of `-i any`. The loopback integration test (test/integration/lan-capture.test.ts) reads real
 * tcpdump output.
 */

interface Segment {
  src: [number, number];
  dst: [number, number];
  seq: number;
  payload: string;
}

function ipv4Tcp(s: Segment): Buffer {
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(s.src[1], 0);
  tcp.writeUInt16BE(s.dst[1], 2);
  tcp.writeUInt32BE(s.seq >>> 0, 4);
  tcp[12] = 5 << 4;
  const payload = Buffer.from(s.payload);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 20 + payload.length, 2);
  ip[8] = 64;
  ip[9] = 6;
  ip.writeUInt32BE(s.src[0], 12);
  ip.writeUInt32BE(s.dst[0], 16);
  return Buffer.concat([ip, tcp, payload]);
}

const ethernet = (ip: Buffer) => Buffer.concat([Buffer.alloc(12), Buffer.from([0x08, 0x00]), ip, Buffer.alloc(4)]); // 4 bytes of padding
const cooked = (ip: Buffer) => Buffer.concat([Buffer.alloc(14), Buffer.from([0x08, 0x00]), ip]);

function pcap(frames: Buffer[], o: { le?: boolean; nano?: boolean; linkType?: number } = {}): Buffer {
  const le = o.le ?? true;
  const u32 = (value: number) => {
    const b = Buffer.alloc(4);
    if (le) b.writeUInt32LE(value >>> 0);
    else b.writeUInt32BE(value >>> 0);
    return b;
  };
  const u16 = (value: number) => {
    const b = Buffer.alloc(2);
    if (le) b.writeUInt16LE(value);
    else b.writeUInt16BE(value);
    return b;
  };
  const header = Buffer.concat([u32(o.nano ? 0xa1b23c4d : 0xa1b2c3d4), u16(2), u16(4), u32(0), u32(0), u32(262144), u32(o.linkType ?? 1)]);
  return Buffer.concat([header, ...frames.flatMap((f, i) => [u32(1700000000 + i), u32(0), u32(f.length), u32(f.length), f])]);
}

const A = 0x0a000001; // 10.0.0.1
const B = 0x0a000002;
const seg = (seq: number, payload: string, reverse = false): Segment =>
  reverse ? { src: [B, 5671], dst: [A, 40000], seq, payload } : { src: [A, 40000], dst: [B, 5671], seq, payload };

describe('findInCapture', () => {
  const frames = [seg(1000, 'hello rab'), seg(1009, 'bit@rabbit1 and more'), seg(1000, 'hello rab'), seg(5, 'bit@rabbit1', true)].map((s) =>
    ethernet(ipv4Tcp(s)),
  );

  test.each([
    ['little-endian, microseconds', { le: true }],
    ['big-endian, microseconds', { le: false }],
    ['little-endian, nanoseconds', { le: true, nano: true }],
    ['big-endian, nanoseconds', { le: false, nano: true }],
  ])('%s: packets, and a needle split across two segments found in its flow only', (_name, o) => {
    const search = findInCapture(pcap(frames, o), ['rabbit@rabbit1', 'bit@rabbit1', Buffer.from('hello'), 'absent']);
    expect(search.packets).toBe(4);
    expect(search.truncated).toBe(false);
    const [split, tail, hello, absent] = search.hits;
    // the retransmitted first segment does not repeat its bytes in the stream
    expect(split).toMatchObject({ packets: 0, flows: 1, inFile: false, found: true });
    expect(tail).toMatchObject({ packets: 2, flows: 2, found: true });
    expect(hello).toMatchObject({ packets: 2, flows: 1, found: true });
    expect(absent).toMatchObject({ packets: 0, flows: 0, inFile: false, found: false });
  });

  test('a segment overlapping what the flow has adds only its new bytes', () => {
    const overlapping = [seg(1, 'abcdef'), seg(4, 'defXYZ')].map((s) => ethernet(ipv4Tcp(s)));
    const [whole, doubled] = findInCapture(pcap(overlapping), ['abcdefXYZ', 'defdef']).hits;
    expect(whole).toMatchObject({ packets: 0, flows: 1 });
    expect(doubled!.found).toBe(false);
  });

  test('sequence numbers that wrap past 2^32 stay in order', () => {
    const wrapping = [seg(0xfffffffc, 'abcd'), seg(0, 'efgh')].map((s) => ethernet(ipv4Tcp(s)));
    expect(findInCapture(pcap(wrapping), ['cdef']).hits[0]).toMatchObject({ packets: 0, flows: 1 });
  });

  test('Linux cooked captures (-i any) decode too', () => {
    const file = pcap(
      [seg(1, 'secret-'), seg(8, 'password')].map((s) => cooked(ipv4Tcp(s))),
      { linkType: 113 },
    );
    expect(findInCapture(file, ['secret-password']).hits[0]).toMatchObject({ packets: 0, flows: 1 });
  });

  test('a file cut inside a record keeps the whole records and says so', () => {
    const file = pcap(frames);
    const cut = file.subarray(0, file.length - 3);
    expect(parsePcap(cut)).toMatchObject({ truncated: true });
    expect(findInCapture(cut, ['x']).packets).toBe(3);
  });

  test('the raw file is searched as a backstop for what does not decode', () => {
    const arp = Buffer.concat([Buffer.alloc(12), Buffer.from([0x08, 0x06]), Buffer.from('not-ip-at-all')]);
    expect(findInCapture(pcap([arp]), ['not-ip']).hits[0]).toMatchObject({ packets: 1, flows: 0, inFile: true });
  });

  test('a pcapng file or an empty needle is refused, not searched', () => {
    expect(() => findInCapture(Buffer.alloc(10), ['x'])).toThrow(/not a pcap file/);
    const ng = Buffer.concat([Buffer.from('0a0d0d0a', 'hex'), Buffer.alloc(24)]);
    expect(() => findInCapture(ng, ['x'])).toThrow(/not a classic pcap file.*pcapng/);
    expect(() => findInCapture(pcap([]), [''])).toThrow(/empty needle/);
  });
});
