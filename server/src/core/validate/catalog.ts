import { emptyPeer } from './empty-peer';
import { invalidClusterPolicy } from './invalid-cluster-policy';
import { invalidCidr } from './invalid-cidr';
import { invalidEndPort } from './invalid-end-port';
import { invalidLabelSelector } from './invalid-label-selector';
import { invalidName } from './invalid-name';
import { invalidPolicyTypes } from './invalid-policy-types';
import { invalidPort } from './invalid-port';
import { invalidProtocol } from './invalid-protocol';
import { invalidValueType } from './invalid-value-type';
import { ipblockWithSelector } from './ipblock-with-selector';
import { nonCanonicalCidr } from './non-canonical-cidr';
import { unknownField } from './unknown-field';
import { unsupportedApiVersion } from './unsupported-api-version';
import type { Rule } from '../lint/rule';

/** Rules that check one NetworkPolicy object against what the API server accepts. */
export const VALIDATION_RULES: readonly Rule[] = [
  unsupportedApiVersion,
  unknownField,
  invalidValueType,
  invalidName,
  invalidPort,
  invalidEndPort,
  invalidProtocol,
  invalidCidr,
  nonCanonicalCidr,
  invalidLabelSelector,
  emptyPeer,
  ipblockWithSelector,
  invalidPolicyTypes,
  invalidClusterPolicy,
];
