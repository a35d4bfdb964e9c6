import { CHANGE_RULES } from './impact/rules/catalog';
import type { Rule } from './lint/rule';
import { WORKSPACE_RULES } from './rules/catalog';
import { invalidSuppressionMeta, unusedSuppressionMeta } from './lint/suppressions';
import { invalidConfigMeta } from './analysis/config-file';
import { expectationFailedMeta, invalidExpectationMeta } from './analysis/expect-file';

/**
 * Every rule, in reporting order: its id, category, default severity and description
 * (docs/rules/README.md is generated from this list: npm run docs). Adding a rule = a
 * file + a line in its group's list + docs/rules/<id>.md + test/rules/<id>/ (CONTRIBUTING.md).
 */
export const RULES: readonly Rule[] = [
  ...WORKSPACE_RULES,
  ...CHANGE_RULES,
  // What the suppressions in the manifests say about themselves (lint/suppressions.ts: no check of their own).
  { meta: invalidSuppressionMeta },
  { meta: unusedSuppressionMeta },
  // What is wrong in the repository's .netpol.yaml (analysis/config-file.ts).
  { meta: invalidConfigMeta },
  // The repository's .netpol-expect.yaml (analysis/expect-file.ts, expect-findings.ts).
  { meta: invalidExpectationMeta },
  { meta: expectationFailedMeta },
];
