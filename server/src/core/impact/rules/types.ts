import type { Rule } from '../../lint/rule';
import type { AnyResponsible, ImpactReport } from '../types';

/** What a change rule reports: a message about some flows, anchored where `at` is shown. */
export type ChangeReport = (finding: { message: string; at: AnyResponsible }) => void;

/**
 * A rule on the impact of a pending edit (category `change`): it judges the flows the
 * edit opens and closes against the baseline (run.ts anchors its findings in the edited
 * documents). It reads nothing else.
 */
export interface ChangeRule extends Rule {
  checkChange(impact: ImpactReport, report: ChangeReport): void;
}
