import { changeOpensExternalFlow } from './change-opens-external-flow';
import { changeRemovesRoutedFlow } from './change-removes-routed-flow';
import type { ChangeRule } from './types';

/** Rules on the impact of a pending edit (the editor runs them against git HEAD or the last saved text). */
export const CHANGE_RULES: readonly ChangeRule[] = [changeRemovesRoutedFlow, changeOpensExternalFlow];
