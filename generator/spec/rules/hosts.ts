import { HOSTNAME_LABEL, isDockerEndpoint } from '../../../contract/names.js';
import { EPMD_PORT, ERLANG_DISTRIBUTION_PORT } from '../../../contract/ports.js';
import { ipv4Problem, parseIpv4 } from '../ipv4.js';
import type { Rule } from './rule.js';

export const hostsAreValid: Rule = (model, findings) => {
  if (!model.multiHost) return;
  const names = new Map<string, string>();
  const addresses = new Map<string, string>();
  for (const host of model.hosts) {
    if (!HOSTNAME_LABEL.test(host.name)) {
      findings.error(`${host.path}.name`, `"${host.name}" is not a valid host name; use lowercase letters, digits and "-"`);
    }
    if (names.has(host.name)) findings.error(`${host.path}.name`, `"${host.name}" is already used by ${names.get(host.name)}; host names must be unique`);
    names.set(host.name, host.path);
    if (host.address === undefined || parseIpv4(host.address) === undefined) {
      const why = host.address === undefined ? 'none given' : ipv4Problem(host.address);
      findings.error(
        `${host.path}.address`,
        `${JSON.stringify(host.address)} is not an IPv4 address (${why}); write the address other machines reach this host at, e.g. 192.168.1.17`,
      );
    } else if (addresses.has(host.address)) {
      findings.error(`${host.path}.address`, `${host.address} is already the address of ${addresses.get(host.address)}; each machine has its own address`);
    } else {
      addresses.set(host.address, host.path);
    }
    // it becomes DOCKER_HOST (or DOCKER_CONTEXT) of every docker call for this machine
    if (host.docker !== undefined && !isDockerEndpoint(host.docker)) {
      findings.error(
        `${host.path}.docker`,
        `"${host.docker}" is not a way to reach a Docker engine; write ssh://user@host[:port] (e.g. ssh://deploy@192.168.1.17), tcp://host:port, unix:///path, or a docker context name`,
      );
    }
    if (host.nodes.length > 1) {
      findings.error(
        `${host.path}.nodes`,
        `${host.nodes.length} nodes on "${host.name}": when nodes span machines each one publishes the Erlang distribution ports ${EPMD_PORT} and ${ERLANG_DISTRIBUTION_PORT}, so a machine runs one node; move the others to their own host entries`,
      );
    }
    if (host.nodes.length === 0 && !host.loadBalancer && model.monitoring?.host !== host.name) {
      findings.warn(host.path, `host "${host.name}" runs neither a node nor a load balancer; nothing is generated for it`);
    }
  }
};

export const loadBalancerHostsExist: Rule = (model, findings) => {
  if (!model.multiHost || !model.loadBalancer) return;
  if (model.loadBalancer.instances.length === 0) {
    findings.error('hosts', 'no host has loadBalancer: true; mark the machine(s) that run nginx and keepalived, or set loadBalancer.enabled: false');
  }
};
