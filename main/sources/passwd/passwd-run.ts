// One run of the system's passwd(1) for the user this process runs as, in the
// pseudo-terminal of gatehouse-passwd-pty, with its conversation relayed to a
// PAM-style conversation function (the engine's broker): passwd is setuid root
// and may write /etc/shadow, which pam_chauthtok in the user's own process may
// not. Its prompts become prompts, its other lines info or error messages
// (transcript.ts), and its exit status is the outcome. Answers go to the helper
// in a buffer that is wiped once written; nothing is logged.
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Conversation, PamMessage } from '../../../native';
import { answerFrame, FrameReader } from './frames';
import { findHelper, HELPER_NAME } from './helper-path';
import { PasswdTranscript } from './transcript';

export const PASSWD = '/usr/bin/passwd';

export interface PasswdChangeRequest {
  /** The account: the user this process runs as (passwd lets a user change no other). */
  user: string;
  /** Where prompts and messages go (the engine's broker); its answers are typed at passwd. */
  conversation: Conversation;
  /** Aborted when the flow is cancelled, times out or the engine closes: passwd is stopped. */
  signal: AbortSignal;
}

export interface PasswdChangeResult {
  /** passwd exited with status 0: the password is changed. */
  ok: boolean;
  /** How passwd ended ("exit 0", "exit 10", "signal 9"), or why it did not run. */
  status: string;
  /** Prompts answered during the run. */
  promptsAnswered: number;
}

export interface PasswdRunOptions {
  helper?: string;
  passwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How long an echoing terminal waits at a line before it counts as a prompt. */
  echoOnGraceMs?: number;
  /** passwd silent this long, with no prompt pending, is stopped. */
  idleTimeoutMs?: number;
}

/** passwd's environment: a fixed PATH, a plain terminal, the user's language. */
export function passwdEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', TERM: 'dumb' };
  for (const name of ['LANG', 'LANGUAGE', 'LC_ALL', 'LC_MESSAGES', 'LC_CTYPE']) {
    if ((env[name] ?? '') !== '') out[name] = env[name];
  }
  return out;
}

export function changePasswordWithPasswd(request: PasswdChangeRequest, options: PasswdRunOptions = {}): Promise<PasswdChangeResult> {
  const helper = options.helper ?? findHelper();
  if (helper === undefined) return Promise.resolve({ ok: false, status: `${HELPER_NAME} is not installed`, promptsAnswered: 0 });
  if (request.signal.aborted) return Promise.resolve({ ok: false, status: 'not started: the flow was interrupted', promptsAnswered: 0 });
  const child = spawn(helper, ['--', options.passwd ?? PASSWD, '--', request.user], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: passwdEnvironment(options.env ?? process.env),
  });
  const transcript = new PasswdTranscript();
  const reader = new FrameReader();
  const decoder = new StringDecoder('utf8');
  const graceMs = options.echoOnGraceMs ?? 400;
  let status: string | undefined;
  let answering = false;
  let answered = 0;
  let trouble: string | undefined;
  let echoTimer: NodeJS.Timeout | undefined;
  let idleTimer: NodeJS.Timeout | undefined;

  // Ending the helper's input hangs up passwd's terminal: passwd ends.
  const stop = (why?: string) => {
    trouble ??= why;
    child.stdin.end();
  };
  const onAbort = () => stop();
  request.signal.addEventListener('abort', onAbort, { once: true });
  const watchIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (!answering) stop('passwd stopped answering');
    }, options.idleTimeoutMs ?? 120_000);
  };
  watchIdle();

  const ask = (batch: PamMessage[]) => {
    answering = true;
    const prompt = batch[batch.length - 1]!;
    Promise.resolve()
      .then(() => request.conversation(batch, { signal: request.signal }))
      .then(
        (answers) => {
          const answer = answers[batch.length - 1];
          if (answer === null || answer === undefined) {
            stop();
            return;
          }
          const frame = answerFrame(answer, prompt.style === 'echo-on');
          if (frame === undefined) {
            stop('The answer cannot be typed at passwd (a line break or NUL in it, or over 512 bytes).');
            return;
          }
          answered++;
          answering = false;
          watchIdle();
          child.stdin.write(frame, () => frame.fill(0));
        },
        () => stop(),
      );
  };

  child.stdout.on('data', (chunk: Buffer) => {
    watchIdle();
    let frames;
    try {
      frames = reader.push(chunk);
    } catch (error) {
      stop((error as Error).message);
      child.kill('SIGKILL');
      return;
    }
    for (const frame of frames) {
      switch (frame.type) {
        case 'output':
          clearTimeout(echoTimer);
          transcript.output(decoder.write(frame.bytes));
          break;
        case 'quiet': {
          if (answering) break;
          clearTimeout(echoTimer);
          if (!frame.echo) {
            const batch = transcript.prompt(false);
            if (batch !== undefined) ask(batch);
          } else if (transcript.pendingPrompt) {
            echoTimer = setTimeout(() => {
              if (answering) return;
              const batch = transcript.prompt(true);
              if (batch !== undefined) ask(batch);
            }, graceMs);
          }
          break;
        }
        case 'refused':
          stop("The password change stopped: passwd's terminal would have shown the answer.");
          break;
        case 'exited':
          status = frame.status;
          break;
      }
    }
  });
  // The helper's own complaints (it could not start passwd): kept short, never an answer.
  let helperErrors = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (helperErrors.length < 1000) helperErrors += text;
  });

  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: PasswdChangeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(echoTimer);
      clearTimeout(idleTimer);
      request.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    child.on('error', (error) => settle({ ok: false, status: `${HELPER_NAME} could not run: ${error.message}`, promptsAnswered: answered }));
    child.on('close', (code) => {
      transcript.output(decoder.end());
      const ok = status === 'exit 0' && trouble === undefined && !request.signal.aborted;
      const rest = transcript.finish(ok);
      if (trouble !== undefined) rest.push({ style: 'error', text: trouble });
      if (rest.length > 0 && !request.signal.aborted) {
        try {
          void request.conversation(rest, { signal: request.signal });
        } catch {
          // the messages could not be shown; the outcome still says what happened
        }
      }
      const line = helperErrors.trim().split('\n').at(-1) ?? '';
      settle({ ok, status: status ?? `${HELPER_NAME} ended (status ${code})${line === '' ? '' : `: ${line}`}`, promptsAnswered: answered });
    });
  });
}
