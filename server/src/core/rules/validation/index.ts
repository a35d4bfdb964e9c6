import type { Rule } from '../types';
import { invalidCidr } from './invalid-cidr';
import { invalidEndPort } from './invalid-end-port';
import { invalidLabelSelector } from './invalid-label-selector';
import { invalidPort } from './invalid-port';
import { invalidProtocol } from './invalid-protocol';
import { nonCanonicalCidr } from './non-canonical-cidr';

/** Rules that check one NetworkPolicy object against what the API server accepts. */
export const VALIDATION_RULES: readonly Rule[] = [invalidPort, invalidEndPort, invalidProtocol, invalidCidr, nonCanonicalCidr, invalidLabelSelector];
