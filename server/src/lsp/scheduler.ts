/**
 * When the server analyses: bursts of events (a paste, a branch switch) coalesce into
 * one analysis after the current turn; the change impact that needs a whole baseline
 * analysis on a large workspace waits for a pause in typing; and a commit or a checkout,
 * which moves the baselines without any document event, is looked for now and then.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { ChangeImpact } from './change-impact';
import type { DiagnosticsService } from './diagnostics';
import { notifyAnalysisChanged } from './reachability';

/** How often the baselines are looked at (ms). */
const BASELINE_CHECK_MS = 2000;
/** The pause in typing after which a deferred change impact runs (ms). */
const DEFERRED_IMPACT_MS = 400;

export interface SchedulerDeps {
  readonly connection: Connection;
  readonly diagnostics: DiagnosticsService;
  readonly changeImpact: ChangeImpact;
  /** Resolves once the disk has been scanned: nothing is analysed before. */
  readonly ready: Promise<unknown>;
  readonly refreshCodeLenses: () => boolean;
  /** Told how many files' diagnostics are out while the first analysis is published in steps. */
  readonly checking?: (done: number, total: number) => void;
}

export class Scheduler {
  private pending = false;
  private readonly touched = new Set<string>();
  /** Documents opened since the last analysis: their change-impact baselines are read after it. */
  private readonly openedSince = new Set<string>();
  private deferredImpact: NodeJS.Timeout | undefined;
  /** Waiting for the next analysis to be published (published()). */
  private readonly afterPublish: (() => void)[] = [];
  /**
   * The first analysis is published in steps (DiagnosticsService.refreshInSteps), the open
   * files first. An edit during the steps stops them, and its analysis is published whole
   * (the rules' work done so far is kept in their caches): restarted on every keystroke,
   * the steps would hold back the rest of the workspace's diagnostics, the change impact
   * and the views' refresh for as long as the typing goes on.
   */
  private inSteps = true;
  /** Counts the stepped analyses started: only the last one's end counts. */
  private steps = 0;
  /** Steps are under way: the timers wait. */
  private stepping = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Starts looking for moved baselines (a timer that does not keep the process alive). */
  watchBaselines(): void {
    setInterval(() => {
      if (this.pending || this.stepping) return;
      try {
        if (this.deps.changeImpact.baselineMoved()) this.schedule();
      } catch (e) {
        this.deps.connection.console.error(`NetPol: baseline check failed: ${(e as Error).stack ?? e}`);
      }
    }, BASELINE_CHECK_MS).unref();
  }

  /** A document was opened: analyse, and read its baseline after that. */
  opened(uri: string): void {
    this.openedSince.add(uri);
    this.schedule(uri);
  }

  /** Something changed (`uri`: a document, always republished). */
  schedule(uri?: string): void {
    if (uri) this.touched.add(uri);
    if (this.pending) return;
    this.pending = true;
    void this.deps.ready.then(() =>
      setImmediate(() => {
        this.pending = false;
        const batch = new Set(this.touched);
        this.touched.clear();
        if (this.inSteps) {
          this.inSteps = false;
          void this.publishInSteps(batch);
          return;
        }
        try {
          this.publish(batch);
          this.afterAnalysis();
        } catch (e) {
          // Never let one bad input take the server down: log it and keep serving.
          this.deps.connection.console.error(`NetPol: analysis failed: ${(e as Error).stack ?? e}`);
        } finally {
          for (const resolve of this.afterPublish.splice(0)) resolve();
        }
      }),
    );
  }

  /**
   * An analysis published in steps. A change stops them; the analysis scheduled for that
   * change publishes (and resolves published()).
   */
  private async publishInSteps(batch: ReadonlySet<string>): Promise<void> {
    const run = ++this.steps;
    this.stepping = true;
    let finished = false;
    try {
      finished = await this.deps.diagnostics.refreshInSteps(batch, this.deps.checking);
      if (finished) {
        this.announce();
        this.afterAnalysis();
      }
    } catch (e) {
      // Never let one bad input take the server down: log it and keep serving.
      finished = true;
      this.deps.connection.console.error(`NetPol: analysis failed: ${(e as Error).stack ?? e}`);
    } finally {
      if (run === this.steps) {
        this.stepping = false;
        if (finished) for (const resolve of this.afterPublish.splice(0)) resolve();
        // (Stopped by a change, which scheduled the next analysis: it resolves them; schedule() makes sure.)
        else if (this.afterPublish.length > 0) this.schedule();
      }
    }
  }

  /** After an analysis is published: the deferred change impact, and the baselines of the documents opened since. */
  private afterAnalysis(): void {
    if (this.deps.changeImpact.pending) this.scheduleDeferredImpact();
    for (const u of this.openedSince) this.deps.changeImpact.prepare(u);
    this.openedSince.clear();
  }

  /** Resolves once the next scheduled analysis has been published (or has failed). */
  published(): Promise<void> {
    return new Promise((resolve) => this.afterPublish.push(resolve));
  }

  private publish(touched?: ReadonlySet<string>): void {
    this.deps.diagnostics.refresh(touched);
    this.announce();
  }

  /** Once an analysis is published: the change impact if it changed, and the views' refresh. */
  private announce(): void {
    this.deps.changeImpact.notifyIfChanged(this.deps.connection);
    notifyAnalysisChanged(this.deps.connection, { refreshCodeLenses: this.deps.refreshCodeLenses() });
  }

  /**
   * An edit that changes workloads on a large workspace needs a whole baseline analysis:
   * it runs once typing pauses, not on every keystroke.
   */
  private scheduleDeferredImpact(): void {
    clearTimeout(this.deferredImpact);
    this.deferredImpact = setTimeout(() => {
      if (this.pending || this.stepping || !this.deps.changeImpact.pending) return;
      try {
        this.deps.changeImpact.computeDeferred();
        this.publish();
      } catch (e) {
        this.deps.connection.console.error(`NetPol: change impact failed: ${(e as Error).stack ?? e}`);
      }
    }, DEFERRED_IMPACT_MS);
  }
}
