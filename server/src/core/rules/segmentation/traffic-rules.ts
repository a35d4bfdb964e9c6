import { crossEnvironment } from './cross-environment';
import { duplicatePolicyName } from './duplicate-policy-name';
import { ingressControllerBlocked } from './ingress-controller-blocked';
import { missingNamespace } from './missing-namespace';
import { namedPortNotFound } from './named-port-not-found';
import { selectsHostNetwork } from './selects-host-network';
import { servicePortNotContainerPort } from './service-port-not-container-port';
import { shadowedRule } from './shadowed-rule';
import type { WorkspaceRule } from '../types';

/** Segmentation rules about ports, Services, Ingresses, environments and policy hygiene (one file per rule, listed here). */
export const TRAFFIC_RULES: readonly WorkspaceRule[] = [
  namedPortNotFound,
  servicePortNotContainerPort,
  ingressControllerBlocked,
  crossEnvironment,
  missingNamespace,
  selectsHostNetwork,
  duplicatePolicyName,
  shadowedRule,
];
