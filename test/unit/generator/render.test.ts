import { readFileSync } from 'node:fs';
import { planCluster } from '../../../generator/plan.js';
import { planSpecFile, specNames, specPath } from '../../helpers/spec-files.js';

// snapshot names keep the file names they had ("seed.yaml")
const specs = specNames().map((n) => `${n}.yaml`);
const read = (file: string) => readFileSync(specPath(file.slice(0, -'.yaml'.length)), 'utf8');
const plan = (file: string) => planSpecFile(specPath(file.slice(0, -'.yaml'.length)), file);

describe('whole-tree output per fixture spec', () => {
  test.each(specs)('%s', (name) => {
    const tree = Object.fromEntries(plan(name).files.map((f) => [`${f.path} (${f.mode.toString(8)})`, f.contents]));
    expect(tree).toMatchSnapshot();
  });

  test.each(specs)('%s renders byte-identical twice', (name) => {
    expect(plan(name).files).toEqual(plan(name).files);
  });
});

describe('what the generated files promise', () => {
  const seed = planCluster(read('seed.yaml'), 'seed.yaml');
  const byPath = new Map(seed.files.map((f) => [f.path, f.contents]));

  test('no secret and no privileged/links in any generated file', () => {
    for (const f of seed.files) {
      expect(f.contents).not.toMatch(/privileged|links:|xdclass|guest:guest/);
    }
    const compose = byPath.get('docker-compose.yml')!;
    expect(compose).toContain('RABBITMQ_DEFAULT_PASS: "${RABBITMQ_DEFAULT_PASS:?');
    expect(compose).not.toMatch(/&a\d|\*a\d/); // no YAML anchors: each service reads on its own
  });

  test('nginx keeps the seed settings and passive health checks', () => {
    const nginx = byPath.get('nginx/nginx.conf')!;
    expect(nginx).toContain('listen 1884 so_keepalive=on;');
    expect(nginx).toContain('proxy_connect_timeout 60s;');
    expect(nginx).toContain('proxy_timeout 60s;');
    expect(nginx).toContain('tcp_nodelay on;');
    expect(nginx).toContain('server 192.168.1.10:1883 max_fails=3 fail_timeout=10s;');
  });

  test('heartbeat is derived below the LB idle timeout', () => {
    expect(byPath.get('rabbitmq/rabbitmq.conf')).toContain('heartbeat = 30');
  });

  test('keepalived: MASTER/BACKUP, unicast peers only, VRRPv3 at 0.5 s, nginx check, no password', () => {
    const lb1 = byPath.get('keepalived/lb1.conf')!;
    const lb2 = byPath.get('keepalived/lb2.conf')!;
    expect(lb1).toMatch(/state MASTER[\s\S]*priority 150[\s\S]*unicast_src_ip 192\.168\.1\.2[\s\S]*unicast_peer \{\s*192\.168\.1\.3\s*\}/);
    expect(lb2).toMatch(/state BACKUP[\s\S]*priority 140[\s\S]*unicast_src_ip 192\.168\.1\.3/);
    expect(lb1).toMatch(/version 3\s+[^\n]*\n?\s*advert_int 0\.5/);
    expect(lb1).toContain('check_unicast_src');
    expect(lb1).not.toMatch(/auth_pass|auth\.conf|authentication \{/);
    expect(byPath.get('docker-compose.yml')).not.toContain('KEEPALIVED_AUTH_PASS');
    expect(lb1).toContain('script "/run/keepalived/check-nginx.sh 1884"');
    expect(lb1).toContain('enable_script_security');
  });

  test('nofile ulimits by default; limits.nofile: 0 leaves the daemon default', () => {
    expect(byPath.get('docker-compose.yml')).toMatch(/ulimits:\s*nofile:\s*soft: 65536\s*hard: 65536/);
    const capped = planCluster('name: capped\nnodes: 3\nlimits: { nofile: 0 }\n', 'capped.yaml');
    const compose = capped.files.find((f) => f.path === 'docker-compose.yml')!.contents;
    expect(compose).not.toContain('ulimits');
    expect(compose).toContain('rabbit3:');
  });

  test('manual formation: later nodes wait for the first one to be healthy', () => {
    expect(byPath.get('docker-compose.yml')).toMatch(/rabbit2:[\s\S]*depends_on:\s*rabbit1:\s*condition: service_healthy/);
  });
});
