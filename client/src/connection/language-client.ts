/**
 * The vscode-languageclient set-up: the bundled server (dist/server.js over IPC) for YAML
 * documents, the settings and file events it is told about, the initialization options,
 * and what happens when its process dies (restart-policy.ts, stated explicitly).
 */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { NetPolInitializationOptions } from '../../../server/src/protocol';
import type { RestartPolicy } from './restart-policy';

export interface LanguageClientDeps {
  readonly output: vscode.LogOutputChannel;
  readonly restartPolicy: RestartPolicy;
  /** Called with each crash message shown to the user. */
  readonly onCrashNotice: (message: string) => void;
}

export function createLanguageClient(context: vscode.ExtensionContext, deps: LanguageClientDeps): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // No language id of our own: we coexist with Red Hat's YAML extension on `yaml`.
    documentSelector: [
      { language: 'yaml', scheme: 'file' },
      { language: 'yaml', scheme: 'untitled' },
    ],
    synchronize: {
      configurationSection: 'netpol',
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/{*.yaml,*.yml,Kustomization}'),
        // Deleting a folder raises one event, for the folder: the server drops the files under it.
        vscode.workspace.createFileSystemWatcher('**/*', true, true, false),
      ],
    },
    outputChannel: deps.output,
    errorHandler: errorHandler(deps),
    // Read at each (re)start: a restart after trust was granted starts trusted.
    initializationOptions: (): NetPolInitializationOptions => ({ settings: vscode.workspace.getConfiguration('netpol'), trusted: vscode.workspace.isTrusted }),
  };
  return new LanguageClient('netpol', 'NetPol', serverOptions, clientOptions);
}

/**
 * vscode-languageclient's error handler, stated explicitly: restart a crashed server at
 * most 4 times in 3 minutes, tell the user once (our own message, `handled` so the
 * client shows none of its own), log every crash.
 */
function errorHandler({ output, restartPolicy, onCrashNotice }: LanguageClientDeps): ErrorHandler {
  return {
    error: (_error, _message, count) => ({ action: restartPolicy.error(count) === 'continue' ? ErrorAction.Continue : ErrorAction.Shutdown }),
    closed: () => {
      const decision = restartPolicy.closed();
      output.warn(decision.log);
      if (decision.notice) {
        onCrashNotice(decision.notice.message);
        if (decision.notice.level === 'warning') void vscode.window.showWarningMessage(decision.notice.message);
        else {
          void vscode.window.showErrorMessage(decision.notice.message, 'Restart Server').then((choice) => (choice ? vscode.commands.executeCommand('netpol.restartServer') : undefined));
        }
      }
      return { action: decision.restart ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
    },
  };
}
