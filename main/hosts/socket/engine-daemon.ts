// `gatehouse engine`: the login engine and the libpam addon in a small process
// of their own, run as root, serving the protocol (main/protocol, unchanged) to
// one unprivileged client — the greeter — over a Unix socket.
//
// One engine per daemon: the daemon is one seat. Fail delays and lockouts are
// the seat's, so a client cannot get around them by reconnecting. One client
// at a time owns the conversation (a second connection is refused while one is
// open), and a connection owns the flow it runs: when it closes mid-conversation
// the flow is cancelled (the transaction aborted and ended), as greetd cancels
// the session of a greeter that goes away. A login's session, once started, is
// not the greeter's to end: it runs on, and a greeter that reconnects meanwhile
// gets `context` with running: true and the flow's outcome when the session ends.
import type { Server, Socket } from 'node:net';
import { lstatSync } from 'node:fs';
import { createEngine } from '../../auth';
import type { Engine, EngineOptions } from '../../auth/api';
import type { EngineSources } from '../../auth/pam-calls';
import { makeLog, stderrSink, type Log } from '../../auth/log';
import { startPamTransaction } from '../../auth/pam-calls';
import { event, request, type Event } from '../../protocol';
import { encodeFrame } from '../../protocol/frames';
import { ClientConnection } from './client-connection';
import { OpenTransactions } from './open-transactions';
import { checkPeer } from './peer-check';
import { listenOnSocketFile, removeSocketFile, type SocketOwner } from './socket-file';

export interface EngineDaemonOptions {
  socketPath: string;
  /** The only user who may connect (the greeter's). */
  client: SocketOwner & { name: string };
  /** The login engine's options (engineOptionsFor(config, 'login')). */
  engineOptions: EngineOptions;
  /** How sessions are started (main/sessions/launch); default: the engine's local launcher. */
  sessions?: Pick<EngineSources, 'prepareSession' | 'launchSession'>;
}

export interface RunningDaemon {
  /** Stops listening, closes the engine (a running flow is aborted and ended), removes the socket. */
  close(): Promise<void>;
}

/** The seat: one engine, and the one client connected to it. */
class Seat {
  readonly engine: Engine;
  readonly #log: Log;
  readonly #clientUid: number;
  readonly #transactions: OpenTransactions;
  #client: ClientConnection | undefined;

  constructor(options: EngineDaemonOptions, log: Log) {
    this.#log = log;
    this.#clientUid = options.client.uid;
    this.#transactions = new OpenTransactions();
    this.engine = createEngine(
      options.engineOptions,
      {
        event: (e) => this.#deliver(e),
        outcome: () => this.#logTransactions('flow-ended'),
        log: stderrSink,
      },
      { ...options.sessions, startTransaction: this.#transactions.counting(startPamTransaction) },
    );
  }

  admit(socket: Socket): void {
    const verdict = checkPeer(socket, this.#clientUid);
    if (!verdict.admitted) {
      this.#log({ event: 'peer-refused', pid: verdict.peer?.pid ?? null, uid: verdict.peer?.uid ?? null, problem: verdict.problem });
      socket.destroy();
      return;
    }
    if (this.#client !== undefined) {
      // The first connection is the screen the user is looking at: a second one
      // must not take its conversation over.
      this.#log({ event: 'client-refused', pid: verdict.peer.pid, problem: 'another client is connected' });
      socket.end(encodeFrame(event({ type: 'refused', message: 'another client is connected to this seat' })));
      socket.on('error', () => undefined);
      setTimeout(() => socket.destroy(), 1_000).unref();
      return;
    }
    this.#log({ event: 'client-connected', pid: verdict.peer.pid });
    const client = new ClientConnection(socket, this.engine, this.#log, () => this.#left(client));
    this.#client = client;
  }

  close(): void {
    this.#client?.close();
  }

  #left(client: ClientConnection): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#log({ event: 'client-disconnected', flowRunning: this.engine.busy });
    // The conversation was this client's: end it. A running session is not
    // cancellable and goes on (the engine refuses the cancel).
    if (this.engine.busy) this.engine.receive(request({ type: 'cancel' }));
    else this.#logTransactions('client-disconnected');
  }

  #deliver(e: Event): void {
    this.#client?.send(e);
  }

  #logTransactions(after: string): void {
    this.#log({ event: 'transactions', after, open: this.#transactions.open });
  }
}

/** Starts the daemon: the engine, then the socket. */
export async function startEngineDaemon(options: EngineDaemonOptions): Promise<RunningDaemon> {
  const log = makeLog(stderrSink, Date.now);
  const seat = new Seat(options, log);
  let server: Server;
  try {
    server = await listenOnSocketFile(options.socketPath, options.client, (socket) => seat.admit(socket));
  } catch (error) {
    await seat.engine.close();
    throw error;
  }
  const made = (() => {
    try {
      return { ino: lstatSync(options.socketPath).ino };
    } catch {
      return undefined;
    }
  })();
  log({ event: 'listening', socket: options.socketPath, client: options.client.name, uid: options.client.uid });
  return {
    async close() {
      server.close();
      seat.close();
      await seat.engine.close();
      removeSocketFile(options.socketPath, made);
    },
  };
}
