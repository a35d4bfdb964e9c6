import type { Rule } from '../types';

/** Segmentation rules about ports, Services, Ingresses, environments and policy hygiene (one file per rule, listed here). */
export const TRAFFIC_RULES: readonly Rule[] = [];
