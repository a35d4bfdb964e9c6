/**
 * What the client does when the language server's process dies: restart it, at most
 * `maxRestarts` times within `windowMs` (vscode-languageclient's own default, 4 in 3
 * minutes, stated here rather than inherited), and say so once: one warning for the
 * first crash, later restarts only in the log, and one error when it gives up. A manual
 * "NetPol: Restart Server" starts a fresh count. No `vscode` import (unit-tested under
 * plain Node); extension.ts turns the decisions into the client's ErrorHandler.
 */

export interface CrashDecision {
  /** Start the server again. */
  readonly restart: boolean;
  /** What to show the user now (at most once per kind and count), if anything. */
  readonly notice?: { readonly level: 'warning' | 'error'; readonly message: string };
  /** What to write to the log in any case. */
  readonly log: string;
}

export interface RestartPolicyOptions {
  readonly maxRestarts?: number;
  readonly windowMs?: number;
  readonly now?: () => number;
}

export const DEFAULT_MAX_RESTARTS = 4;
export const DEFAULT_RESTART_WINDOW_MS = 3 * 60 * 1000;

export class RestartPolicy {
  private crashes: number[] = [];
  private warned = false;
  private readonly maxRestarts: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(opts: RestartPolicyOptions = {}) {
    this.maxRestarts = opts.maxRestarts ?? DEFAULT_MAX_RESTARTS;
    this.windowMs = opts.windowMs ?? DEFAULT_RESTART_WINDOW_MS;
    this.now = opts.now ?? Date.now;
  }

  /** The server's connection closed without the client asking for it (the process died). */
  closed(): CrashDecision {
    const now = this.now();
    this.crashes = [...this.crashes.filter((t) => now - t < this.windowMs), now];
    const minutes = Math.round(this.windowMs / 60_000);
    if (this.crashes.length > this.maxRestarts) {
      const message = `The NetPol language server stopped ${this.crashes.length} times in ${minutes} minutes and is not restarted again. See Output › NetPol, then run "NetPol: Restart Server".`;
      return { restart: false, notice: { level: 'error', message }, log: message };
    }
    const log = `The NetPol language server stopped unexpectedly; restarting it (${this.crashes.length} of at most ${this.maxRestarts} restarts in ${minutes} minutes).`;
    if (this.warned) return { restart: true, log };
    this.warned = true;
    return { restart: true, notice: { level: 'warning', message: 'The NetPol language server stopped unexpectedly and was restarted. See Output › NetPol for what happened.' }, log };
  }

  /**
   * A connection error (a message that could not be written): keep going for the first
   * three in a row, then stop the server (vscode-languageclient's own default).
   */
  error(count: number | undefined): 'continue' | 'shutdown' {
    return count !== undefined && count <= 3 ? 'continue' : 'shutdown';
  }

  /** The user restarted the server: crashes before count no more, and the next one is told again. */
  reset(): void {
    this.crashes = [];
    this.warned = false;
  }
}
