import { ISOLATION_RULES } from './segmentation/isolation-rules';
import { TRAFFIC_RULES } from './segmentation/traffic-rules';
import { VALIDATION_RULES } from '../validate';
import { fileTooLarge } from './file-too-large';
import { yamlSyntax } from './yaml-syntax';
import { LIMIT_RULES } from './limits';
import type { WorkspaceRule } from './types';

/**
 * The rules runRules runs, in reporting order: every rule but the change rules (those
 * judge an edit: impact/rules). core/catalog.ts lists them all.
 */
export const WORKSPACE_RULES: readonly WorkspaceRule[] = [yamlSyntax, fileTooLarge, ...LIMIT_RULES, ...VALIDATION_RULES, ...ISOLATION_RULES, ...TRAFFIC_RULES];

export function ruleById(id: string): WorkspaceRule | undefined {
  return WORKSPACE_RULES.find((r) => r.meta.id === id);
}
