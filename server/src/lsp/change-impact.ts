/**
 * The change impact in the editor: the core's host computes it (core/impact/baselines.ts:
 * against git HEAD or the last saved text); here it is sent to the client (the
 * netpol/changeImpact request and notification), shown as lenses above the changed
 * policies, and guarded: a failure is logged and costs the user nothing else.
 */
import type { CodeLens, Connection } from 'vscode-languageserver/node';
import { impactLenses, summarizeImpact, type Finding, type ImpactState } from '../core';
import { CHANGE_IMPACT_CHANGED_NOTIFICATION, type ChangeImpactResult } from '../protocol';
import { current, type FeatureDeps } from './features';
import { changeImpactResult, impactLens, NO_IMPACT, type Converter } from './to-lsp';

export class ChangeImpact {
  private lastSent = JSON.stringify(NO_IMPACT);
  private lastSentState: ImpactState | undefined;

  constructor(private readonly deps: FeatureDeps) {}

  /** True when the last compute() skipped a slow baseline: run computeDeferred() when typing pauses. */
  get pending(): boolean {
    return this.deps.workspace.impactPending;
  }

  /** The impact now; a slow baseline on a large workspace is left for computeDeferred(). */
  compute(): ImpactState {
    return this.deps.workspace.impactState(false);
  }

  /** The impact now, whatever it costs. */
  computeDeferred(): ImpactState {
    return this.deps.workspace.impactState(true);
  }

  /** Reads an opened document's baseline ahead of its first edit. */
  prepare(uri: string): void {
    return this.guard('prepare', undefined, () => this.deps.workspace.prepareImpact(uri));
  }

  /** An open file's baseline moved (a commit, a checkout): the impact must be recomputed although no document changed. */
  baselineMoved(): boolean {
    return this.guard('baselineMoved', false, () => this.deps.workspace.baselineMoved());
  }

  /** Findings of the change rules, for the diagnostics of the edited files. */
  findings(): Finding[] {
    return this.guard('findings', [], () => this.deps.workspace.changeFindings());
  }

  /** The result for the client (request and notification). */
  result(state: ImpactState = this.compute()): ChangeImpactResult {
    return changeImpactResult(summarizeImpact(state), current(this.deps).conv);
  }

  /** Lenses above the changed policies of one document. */
  codeLenses(uri: string, conv: Converter = current(this.deps).conv): CodeLens[] {
    return this.guard('codeLenses', [], () => impactLenses(this.compute(), uri).map((lens) => impactLens(lens, conv)));
  }

  /** Sends `netpol/changeImpactChanged` when the result differs from the last one sent. */
  notifyIfChanged(connection: Pick<Connection, 'sendNotification'>): void {
    return this.guard('notifyIfChanged', undefined, () => {
      // The same state (same analysis and baselines, so the same texts) gives the same result.
      const state = this.compute();
      if (state === this.lastSentState) return;
      this.lastSentState = state;
      const result = this.result(state);
      const json = JSON.stringify(result);
      if (json === this.lastSent) return;
      this.lastSent = json;
      void connection.sendNotification(CHANGE_IMPACT_CHANGED_NOTIFICATION, result).catch(() => undefined);
    });
  }

  /**
   * The `netpol/changeImpact` request handler. What it answers is pushed too when it differs
   * from the last push: the client shows the answer, and the pushes that follow compare with
   * what was last pushed, so an answer the notifier never saw would let a later state equal
   * to that last push (an edit undone while the server started) never reach the view.
   */
  async request(connection?: Pick<Connection, 'sendNotification'>): Promise<ChangeImpactResult> {
    await this.deps.ready;
    try {
      const state = this.computeDeferred();
      if (connection) this.notifyIfChanged(connection);
      return this.result(state);
    } catch (e) {
      this.deps.log?.(`NetPol: change impact failed: ${(e as Error).stack ?? e}`);
      return NO_IMPACT;
    }
  }

  /**
   * Runs a feature's work; a failure is logged and answered with `fallback`: the change
   * impact must never cost the user the diagnostics it is published with, nor the server.
   */
  private guard<T>(what: string, fallback: T, work: () => T): T {
    try {
      return work();
    } catch (e) {
      this.deps.log?.(`NetPol: change impact (${what}) failed: ${(e as Error).stack ?? String(e)}`);
      return fallback;
    }
  }
}
