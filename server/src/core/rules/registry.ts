import type { Rule } from './types';
import { VALIDATION_RULES } from './validation';

/** Every rule, in reporting order. Adding a rule = a file + a line in its group's index + docs/rules/<id>.md. */
export const RULES: readonly Rule[] = [...VALIDATION_RULES];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
