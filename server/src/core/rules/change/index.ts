import type { Rule } from '../types';
import { changeOpensExternalFlow } from './change-opens-external-flow';
import { changeRemovesRoutedFlow } from './change-removes-routed-flow';

/** Rules on the impact of a pending edit (the editor runs them against git HEAD or the last saved text). */
export const CHANGE_RULES: readonly Rule[] = [changeRemovesRoutedFlow, changeOpensExternalFlow];
