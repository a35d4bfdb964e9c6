import type { Rule } from '../types';

/** Segmentation rules about isolation and overly broad rules (one file per rule, listed here). */
export const ISOLATION_RULES: readonly Rule[] = [];
