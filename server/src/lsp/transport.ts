/**
 * The server's end of the protocol stream, built from the command line as
 * vscode-languageserver does (`--stdio`, `--node-ipc`, `--socket=N`, `--pipe=NAME`), so
 * that we hold the reader and can watch it: a stream that can no longer be read (a
 * frame without `Content-Length`, a header that is not one, the other side gone) ends
 * the process, instead of leaving a server that is alive but deaf. The editor's client
 * notices the exit and restarts the server.
 */
import {
  createServerPipeTransport,
  createServerSocketTransport,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';

export interface Transport {
  readonly reader: MessageReader;
  readonly writer: MessageWriter;
  readonly stdio: boolean;
}

/** The transport the arguments ask for; undefined when they name none. */
export function transportFromArgs(argv: readonly string[]): Transport | undefined {
  for (let i = 0; i < argv.length; i++) {
    const [name, value] = argv[i].split('=', 2) as [string, string | undefined];
    if (name === '--stdio') return { reader: new StreamMessageReader(process.stdin), writer: new StreamMessageWriter(process.stdout), stdio: true };
    if (name === '--node-ipc') return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process), stdio: false };
    if (name === '--socket' || name === '--pipe') {
      const target = value ?? argv[i + 1];
      if (target === undefined) return undefined;
      const [reader, writer] = name === '--socket' ? createServerSocketTransport(Number(target)) : createServerPipeTransport(target);
      return { reader, writer, stdio: false };
    }
  }
  return undefined;
}

/**
 * Whether a reader error leaves the stream in step. Only a body that is not JSON does:
 * its frame was read whole, the next one starts where it should. Every other error is in
 * the framing (headers), after which no message boundary can be trusted again.
 */
export function isRecoverableReadError(error: Error): boolean {
  return error instanceof SyntaxError;
}

/**
 * Ends the process when the stream breaks for good: on an unrecoverable read error
 * (code 1) and when the other side closes it (0 after a `shutdown` request, else 1, as
 * the LSP specifies for `exit`). `exit` is process.exit in the server.
 */
export function exitOnBrokenStream(transport: Transport, opts: { shutdownReceived: () => boolean; log: (message: string) => void; exit: (code: number) => void }): void {
  let ended = false;
  const end = (code: number, why: string) => {
    if (ended) return;
    ended = true;
    opts.log(`NetPol: ${why}: the language server exits`);
    opts.exit(code);
  };
  transport.reader.onError((error) => {
    if (isRecoverableReadError(error)) opts.log(`NetPol: a message that is not JSON was skipped: ${error.message}`);
    else end(1, `the protocol stream cannot be read (${error.message.split('\n')[0]})`);
  });
  transport.reader.onClose(() => end(opts.shutdownReceived() ? 0 : 1, 'the protocol stream was closed'));
  if (transport.stdio) process.stdin.on('end', () => end(opts.shutdownReceived() ? 0 : 1, 'the protocol stream ended'));
  else if (typeof process.send === 'function') process.on('disconnect', () => end(opts.shutdownReceived() ? 0 : 1, 'the editor disconnected'));
}
