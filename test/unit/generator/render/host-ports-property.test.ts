import fc from 'fast-check';
import { parse } from 'yaml';
import { planCluster } from '../../../../generator/plan.js';
import { renderCluster } from '../../../../generator/render/render-cluster.js';
import { loadSpec } from '../../../../generator/spec/load-spec.js';
import type { ClusterModel } from '../../../../generator/spec/model.js';
import { normalize } from '../../../../generator/spec/normalize.js';
import { ClusterSpecInput } from '../../../../generator/spec/schema.js';
import { Findings, type Finding } from '../../../../lib/findings.js';
import { fakeTlsMaterial } from '../../../helpers/fake-tls.js';
import { doublyPublished, publishedPorts } from '../../../helpers/published-ports.js';
import { clusterSpec, specYaml } from '../../../helpers/spec-arbitraries.js';

/** Seeded: a failure names its counterexample, and the same seed finds it again. */
const RUNS = { numRuns: 300, seed: 20261207 };
const TODAY = { today: '2026-12-07' };

/** The port rule's findings (rules/ports.ts): "port N (...) is also <path> (...)". */
const CLASH = /^port \d+ \(.+\) is also (\S+) \(.+\) on (this machine|host "[^"]+"); pick another port for /;
const isClash = (f: Finding) => CLASH.test(f.message);

const tlsFor = (model: ClusterModel) =>
  model.tls
    ? {
        tls: fakeTlsMaterial(
          model.nodes.map((n) => n.name),
          model.tls.clients === 'terminate',
        ),
      }
    : {};

describe('property: what validates, deploys (issue 23)', () => {
  const seen = { valid: 0, clash: 0, other: 0 };

  test('a spec that loads publishes no host port twice on a machine; one refused for a clash names both paths, and would have published one twice', () => {
    fc.assert(
      fc.property(clusterSpec, (spec) => {
        const text = specYaml(spec);
        const { model, errors } = loadSpec(text, TODAY);
        if (model && errors.length === 0) {
          seen.valid += 1;
          const files = planCluster(text, 'prop.yaml', tlsFor(model)).files;
          expect(doublyPublished(publishedPorts(files))).toEqual([]);
          return;
        }
        const clashes = errors.filter(isClash);
        for (const f of clashes) {
          const other = CLASH.exec(f.message)![1]!;
          expect({ path: f.path, other }).toEqual({
            path: expect.stringMatching(/^(nodes|loadBalancer|monitoring)\b/),
            other: expect.stringMatching(/^(nodes|loadBalancer|monitoring)\b/),
          });
          expect(other).not.toBe(f.path);
        }
        if (clashes.length === 0 || clashes.length < errors.length) {
          seen.other += 1;
          return;
        }
        // refused for clashes only: rendered anyway, the compose files do publish a port twice
        seen.clash += 1;
        const unchecked = normalize(ClusterSpecInput.parse(parse(text)), new Findings());
        const files = renderCluster(unchecked, 'prop.yaml', tlsFor(unchecked));
        expect(doublyPublished(publishedPorts(files)).length).toBeGreaterThan(0);
      }),
      RUNS,
    );
    // the arbitraries reach every outcome often enough for the property to mean something
    expect(seen.valid).toBeGreaterThan(100);
    expect(seen.clash).toBeGreaterThan(20);
  });
});
