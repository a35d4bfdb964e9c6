import { ISOLATION_RULES } from './segmentation/isolation-rules';
import { TRAFFIC_RULES } from './segmentation/traffic-rules';
import { VALIDATION_RULES } from '../validate';
import { fileTooLarge } from './file-too-large';
import { yamlSyntax } from './yaml-syntax';
import { CHANGE_RULES } from './change';
import { LIMIT_RULES } from './limits';
import type { WorkspaceRule } from './types';

/** Every rule, in reporting order. Adding a rule = a file + a line in its group's list + docs/rules/<id>.md + fixtures. */
export const RULES: readonly WorkspaceRule[] = [yamlSyntax, fileTooLarge, ...LIMIT_RULES, ...VALIDATION_RULES, ...ISOLATION_RULES, ...TRAFFIC_RULES, ...CHANGE_RULES];

export function ruleById(id: string): WorkspaceRule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
