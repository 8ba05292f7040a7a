import { hostsAreValid, loadBalancerHostsExist } from './hosts.js';
import { multiHostWithoutVip, subnetFitsCluster, timeoutsAboveHeartbeat, virtualIpIsCidr, virtualRouterIdInRange } from './load-balancer.js';
import { atLeastOneDiscNode, nodeNamesAreHostnames, oddNodeCount, ramNodes, uniqueNodeNames } from './nodes.js';
import {
  monitoringFlagWithoutPrometheus,
  monitoringHasAHost,
  oneMonitoringHost,
  prometheusPluginExists,
  prometheusServiceNameFree,
  scrapeIntervalInRange,
} from './monitoring.js';
import { mirroringPolicies, policyNamesUnique, policyValuesAreNotOptions } from './policies.js';
import { listenerPortsUnique, openNodePortsOnOneMachine, portsUniquePerHost } from './ports.js';
import { communitySupport, defaultQueueTypeOn4, definitionsBeforeSkipIfUnchanged, manualFormationOn4, secretsAreReferences, versionKnown } from './rabbitmq.js';
import type { Rule } from './rule.js';
import {
  httpsNeedsManagement,
  metricsStayPlain,
  noPlainListenerWhenDisabled,
  terminateWithoutClientCertificates,
  tlsFilesCoverTheCluster,
  tlsNamesAreNames,
  tlsProtocolsNeedTls,
} from './tls.js';

/** Every cross-field rule, in the order their findings are reported. */
export const rules: readonly Rule[] = [
  uniqueNodeNames,
  nodeNamesAreHostnames,
  atLeastOneDiscNode,
  ramNodes,
  oddNodeCount,
  hostsAreValid,
  loadBalancerHostsExist,
  portsUniquePerHost,
  listenerPortsUnique,
  openNodePortsOnOneMachine,
  virtualIpIsCidr,
  virtualRouterIdInRange,
  subnetFitsCluster,
  timeoutsAboveHeartbeat,
  multiHostWithoutVip,
  policyNamesUnique,
  policyValuesAreNotOptions,
  mirroringPolicies,
  manualFormationOn4,
  defaultQueueTypeOn4,
  versionKnown,
  communitySupport,
  secretsAreReferences,
  definitionsBeforeSkipIfUnchanged,
  oneMonitoringHost,
  monitoringHasAHost,
  monitoringFlagWithoutPrometheus,
  scrapeIntervalInRange,
  prometheusPluginExists,
  prometheusServiceNameFree,
  tlsProtocolsNeedTls,
  terminateWithoutClientCertificates,
  noPlainListenerWhenDisabled,
  httpsNeedsManagement,
  tlsNamesAreNames,
  tlsFilesCoverTheCluster,
  metricsStayPlain,
];
