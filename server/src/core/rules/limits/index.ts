import { documentSkipped } from './document-skipped';
import { documentTooLarge } from './document-too-large';
import { excessiveAliasing } from './excessive-aliasing';
import { nestingTooDeep } from './nesting-too-deep';
import { ruleFailed } from './rule-failed';
import { tooManyDocuments } from './too-many-documents';
import type { WorkspaceRule } from '../types';

/** What a bound or a failure kept from being analysed (see source/limits.ts, docs/limits-and-safety.md). */
export const LIMIT_RULES: readonly WorkspaceRule[] = [excessiveAliasing, nestingTooDeep, documentTooLarge, tooManyDocuments, documentSkipped, ruleFailed];
