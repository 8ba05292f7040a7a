// The unit and integration tests again, with the machine's clock moved (libfaketime): two years
// ahead and to a day in the past. A test whose result depends on the calendar fails here long
// before the calendar reaches it. Part of `npm test` (after the whole suite, which installs the
// Debian tools some integration tests use); `npm run test:dates` alone.
//
// faketime is Debian's package of libfaketime; on a machine without it, as root with apt-get, it
// is installed here (the e2e harness installs its Debian packages the same way).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// Offsets from the real clock, never a start time: libfaketime's "@<time>" restarts the clock in
// every process it is loaded into, so a child started later would read an earlier time than its
// parent (lock ages, file times). An offset keeps every process on one clock that runs on.
const offsetTo = (iso) => `${Math.round((Date.parse(iso) - Date.now()) / 1000)}s`;
const signed = (offset) => (offset.startsWith('-') ? offset : `+${offset}`);
const DATES = [
  ['two years ahead', '+730d'],
  ['2026-06-01', signed(offsetTo('2026-06-01T12:00:00Z'))],
];
const SUITES = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['test/unit', 'test/integration'];

function onPath(binary) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(`${dir}/${binary}`));
}

function ensureFaketime() {
  if (onPath('faketime')) return;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    console.error('test:dates needs faketime (Debian package "faketime"): install it, e.g. sudo apt-get install faketime');
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // apt allows one user at a time: wait for the lock rather than fail when another install runs
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  execFileSync('apt-get', [...lock, 'update', '-qq'], { stdio: 'inherit', env, timeout: 600_000 });
  execFileSync('apt-get', [...lock, 'install', '-y', '-qq', '--no-install-recommends', 'faketime'], { stdio: 'inherit', env, timeout: 600_000 });
}

ensureFaketime();
let failed = 0;
for (const [label, spec] of DATES) {
  console.log(`\n== unit and integration tests with the clock at ${label} (faketime -f '${spec}') ==`);
  const run = spawnSync('faketime', ['-f', spec, process.execPath, '--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...SUITES], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    console.error(`tests failed with the clock at ${label}`);
    failed += 1;
  }
}
process.exit(failed > 0 ? 1 : 0);
