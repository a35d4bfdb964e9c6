import type { WorkspaceRule } from './types';

export const RULE_FAILED = 'rule-failed';

/**
 * A rule that threw (a bug of ours): the runner reports it in the rule's place, on the
 * policy it failed on (rules/run.ts, rules/policy-reports.ts). Nothing to check itself.
 */
export const ruleFailed: WorkspaceRule = {
  meta: {
    id: RULE_FAILED,
    category: 'validation',
    defaultSeverity: 'warning',
    description: 'A rule that failed on a policy or on the workspace (a NetPol bug): its verdict there is missing.',
  },
};
