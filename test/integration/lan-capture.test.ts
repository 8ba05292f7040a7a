import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { createCa, issueCertificate } from '../../contract/tls/index.js';
import { ExecaRunner, runChecked } from '../../ops/runner/execa-runner.js';
import { canUseApt, onPath } from '../e2e/harness/apt.js';
import { CAPTURE_PREFIX, findInCapture, reapCaptureLeftovers, startCapture, type PacketCapture } from '../e2e/harness/machines/lan-capture.js';
import { commandLine, isAlive } from '../e2e/harness/processes.js';

/**
 * The capture the TLS e2e relies on, proven on loopback without Docker: a marker sent in clear is
 * found (whole, and split across two TCP segments), the same marker sent over TLS is not, while the
 * TLS packets themselves were captured. Capturing needs root (CAP_NET_RAW); tcpdump is installed
 * when missing and apt can, otherwise these tests are skipped and say why.
 */
const unavailable =
  process.platform !== 'linux'
    ? 'packet capture here is Linux only'
    : process.getuid?.() !== 0
      ? 'capturing packets needs root'
      : !onPath('tcpdump') && !canUseApt()
        ? 'tcpdump is missing and cannot be installed here (install the Debian package tcpdump)'
        : undefined;
if (unavailable) console.warn(`lan-capture tests skipped: ${unavailable}`);
const describeCapture = unavailable ? describe.skip : describe;

const runner = new ExecaRunner();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const marker = () => `rmq-capture-marker-${process.pid}-${Math.random().toString(36).slice(2)}`;

/** A loopback server that collects what each connection sends; port 0: the kernel picks a free one. */
async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** 'gone', or the process's state line, so a failure says what the survivor was doing. */
function describeProcess(pid: number): string {
  if (!isAlive(pid)) return 'gone';
  return `${commandLine(pid).join(' ')}: ${readText(`/proc/${pid}/stat`).trim()} wchan=${readText(`/proc/${pid}/wchan`)}`;
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describeCapture('packet capture on lo', () => {
  let capture: PacketCapture | undefined;
  let server: Server | undefined;
  let client: Socket | undefined;

  afterEach(async () => {
    client?.destroy();
    server?.close();
    await capture?.remove();
    capture = server = client = undefined;
  });

  test('a marker sent in clear is found, whole in a packet and split across two segments in the flow', async () => {
    let received = '';
    server = createServer((socket) => socket.on('data', (chunk) => (received += chunk.toString())));
    const port = await listen(server);
    capture = await startCapture(runner, 'lo', ['tcp', 'port', String(port)]);
    const whole = marker();
    const split = marker();

    client = connect(port, '127.0.0.1');
    client.setNoDelay(true);
    await once(client, 'connect');
    client.write(whole);
    await until(() => received.includes(whole), 'the whole marker');
    // the server has the first half before the second is written: two segments for sure
    client.write(split.slice(0, 10));
    await until(() => received.endsWith(split.slice(0, 10)), 'the first half');
    client.write(split.slice(10));
    await until(() => received.endsWith(split), 'the second half');
    client.end();

    const result = await capture.stop();
    expect(result.packets).toBeGreaterThan(0);
    const search = findInCapture(result.pcap, [whole, split]);
    expect(search.truncated).toBe(false);
    const [wholeHits, splitHits] = search.hits;
    expect(wholeHits).toMatchObject({ found: true, flows: 1 });
    expect(wholeHits!.packets).toBeGreaterThan(0);
    // in no single packet, but in the client's reassembled stream
    expect(splitHits).toMatchObject({ found: true, packets: 0, flows: 1 });
  });

  test('the same marker over TLS is not found, though the TLS handshake was captured', async () => {
    const now = new Date();
    const ca = await createCa({ commonName: 'lan-capture test CA', validDays: 2, now });
    const leaf = await issueCertificate(ca, { commonName: 'localhost', ipAddresses: ['127.0.0.1'], validDays: 1, now, usage: 'server' });
    let received = '';
    server = tls.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (socket) => socket.on('data', (chunk) => (received += chunk.toString())));
    const port = await listen(server);
    capture = await startCapture(runner, 'lo', ['tcp', 'port', String(port)]);
    const secret = marker();

    const tlsClient = tls.connect({ host: '127.0.0.1', port, ca: ca.certPem });
    client = tlsClient;
    await once(tlsClient, 'secureConnect');
    tlsClient.write(secret);
    // the server decrypted it: the marker did cross, inside TLS
    await until(() => received === secret, 'the marker at the TLS server');
    tlsClient.end();

    const result = await capture.stop();
    // a TLS handshake record (content type 22, legacy version 3.x) opens the ClientHello
    const handshake = Buffer.from([0x16, 0x03]);
    const [secretHits, handshakeHits] = findInCapture(result.pcap, [secret, handshake]).hits;
    expect(handshakeHits!.packets).toBeGreaterThan(0);
    expect(secretHits).toMatchObject({ found: false, packets: 0, flows: 0, inFile: false });
  });

  test('stop() twice gives the same capture; remove() deletes the file and leaves no tcpdump', async () => {
    capture = await startCapture(runner, 'lo', ['tcp', 'port', '9']);
    const { file, pid } = capture;
    const first = await capture.stop();
    expect(await capture.stop()).toBe(first);
    expect(first.packets).toBe(0);
    await capture.remove();
    expect(existsSync(file)).toBe(false);
    expect(isAlive(pid)).toBe(false);
  });
});

describeCapture('a killed run’s capture', () => {
  test('reapCaptureLeftovers stops its tcpdump and removes its folder; a live run’s capture is spared', async () => {
    // a pid that has just ended stands for the killed run
    const dead = spawn(process.execPath, ['-e', '']);
    await once(dead, 'exit');
    // first: starting a capture reaps what it finds, and the folder below would be found
    const mine = await startCapture(runner, 'lo', ['tcp', 'port', '9']);
    const dir = mkdtempSync(join(tmpdir(), `${CAPTURE_PREFIX}${dead.pid}-`));
    try {
      const log = join(dir, 'tcpdump.log');
      await runChecked(runner, {
        file: 'start-stop-daemon',
        args: [
          '--start',
          '--background',
          '--make-pidfile',
          '--pidfile',
          join(dir, 'tcpdump.pid'),
          '--output',
          log,
          '--exec',
          '/usr/bin/tcpdump',
          '--',
          '-i',
          'lo',
          '-w',
          join(dir, 'capture.pcap'),
          '-n',
          'tcp',
          'port',
          '9',
        ],
        timeoutMs: 15_000,
      });
      const orphan = Number(readFileSync(join(dir, 'tcpdump.pid'), 'utf8'));
      // a killed run's tcpdump was capturing: wait for that, not just for the exec (a SIGTERM
      // between tcpdump's handler and its capture loop leaves it waiting for the SIGKILL)
      await until(() => readText(log).includes('listening on'), 'the orphan tcpdump capturing', 15_000);
      expect(commandLine(orphan)[0]).toBe('/usr/bin/tcpdump');
      expect(commandLine(orphan).join(' ')).toContain(dir);
      expect(isAlive(orphan)).toBe(true);
      // (another run's leftovers may be reaped with it)
      expect(await reapCaptureLeftovers()).toContain(dir);
      expect(describeProcess(orphan)).toBe('gone');
      expect(existsSync(dir)).toBe(false);
      expect(isAlive(mine.pid)).toBe(true);
    } finally {
      await mine.remove();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
