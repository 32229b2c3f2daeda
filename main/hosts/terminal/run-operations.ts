// OP mode: `gatehouse check --service S authenticate acct_mgmt ...` drives one PAM
// transaction directly through the addon, like pamtester: the operations run in
// order and the first failure stops the run. Like the engine in flow mode, it
// reports a result for every PAM call it makes, pam_start and pam_end included.
// A fail delay a module asked for is announced and waited out before the
// outcome, as libpam itself would sleep.
import { PamError, PamTransaction, pamCodeName } from '../../../native';
import type { CallResult } from '../../auth/api';
import { OUTCOME_CODES } from '../../protocol';
import { invokeOperation, type Operation } from './operations';
import { checkConversation, type ConversationIo } from './pam-conversation';
import type { CheckOutcome } from './report';
import { wait } from './wait';

export interface OperationsOptions {
  service: string;
  user?: string;
  confDir?: string;
  operations: Operation[];
  /**
   * A prompt left unanswered this long fails the conversation (PAM_CONV_ERR); 0:
   * no limit. The same setting as the engine's prompt timeout: OP mode runs no
   * engine (no broker), so here alone it goes to the addon's conversation timer.
   */
  promptTimeoutMs: number;
}

/** Runs the operations; `signal` aborts the transaction (Ctrl-C, SIGTERM). */
export async function runOperations(
  options: OperationsOptions,
  io: ConversationIo,
  signal: AbortSignal,
): Promise<CheckOutcome> {
  let tx: PamTransaction;
  try {
    tx = await PamTransaction.start({
      service: options.service,
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.confDir === undefined ? {} : { confDir: options.confDir }),
      conversation: checkConversation(io),
      ...(options.promptTimeoutMs > 0 ? { conversationTimeoutMs: options.promptTimeoutMs } : {}),
    });
  } catch (error) {
    if (!(error instanceof PamError)) throw error;
    io.report.result(failedCall('start', error));
    return { ok: false, code: error.code, reason: error.message };
  }
  io.report.result(succeeded('start'));

  const abort = () => tx.abort(signal.reason);
  signal.addEventListener('abort', abort, { once: true });
  let run: { outcome: CheckOutcome; failDelayMs: number };
  try {
    run = await runInOrder(tx, options.operations, io, signal);
  } finally {
    signal.removeEventListener('abort', abort);
    await endTransaction(tx, io);
  }
  if (run.failDelayMs > 0 && !signal.aborted) {
    io.report.delay(run.failDelayMs);
    await wait(run.failDelayMs, signal);
  }
  return run.outcome;
}

async function runInOrder(
  tx: PamTransaction,
  operations: Operation[],
  io: ConversationIo,
  signal: AbortSignal,
): Promise<{ outcome: CheckOutcome; failDelayMs: number }> {
  for (const op of operations) {
    if (signal.aborted) return { outcome: cancelled(), failDelayMs: 0 };
    try {
      await invokeOperation(tx, op);
    } catch (error) {
      if (signal.aborted) return { outcome: cancelled(), failDelayMs: 0 };
      if (!(error instanceof PamError)) throw error;
      io.report.result(failedCall(op.name, error));
      return { outcome: { ok: false, code: error.code, reason: error.message }, failDelayMs: error.failDelayMs ?? 0 };
    }
    io.report.result(succeeded(op.name));
  }
  return { outcome: { ok: true, code: pamCodeName(0) }, failDelayMs: 0 };
}

async function endTransaction(tx: PamTransaction, io: ConversationIo): Promise<void> {
  try {
    await tx.end();
  } catch (error) {
    if (!(error instanceof PamError)) throw error;
    io.report.result(failedCall('end', error));
    return;
  }
  io.report.result(succeeded('end'));
}

function succeeded(op: CallResult['op']): CallResult {
  return { op, ok: true, code: pamCodeName(0), errno: 0, message: 'Success' };
}

function failedCall(op: CallResult['op'], error: PamError): CallResult {
  return { op, ok: false, code: error.code, errno: error.errno, message: error.message };
}

function cancelled(): CheckOutcome {
  return { ok: false, code: OUTCOME_CODES.cancelled, reason: 'interrupted' };
}
