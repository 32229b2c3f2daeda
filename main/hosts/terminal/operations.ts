// The PAM calls `gatehouse check` can make when no flow is given, named as in
// pamtester: `authenticate`, `acct_mgmt`, `chauthtok`, `setcred`, `open_session`,
// `close_session`. Flags follow pamtester's syntax too, `op(FLAG|FLAG)`:
//
//   authenticate(PAM_SILENT|PAM_DISALLOW_NULL_AUTHTOK)
//   chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK)
//   setcred(PAM_DELETE_CRED)
//
// `setcred` without an action flag establishes credentials (PAM_ESTABLISH_CRED),
// which is also what libpam does when pam_setcred gets no action.
import type { PamTransaction, SetcredAction } from '../../../native';
import type { CallResult } from '../../auth/api';

export type OperationName = Exclude<CallResult['op'], 'start' | 'end'>;

export const OPERATION_NAMES: readonly OperationName[] = [
  'authenticate',
  'acct_mgmt',
  'chauthtok',
  'setcred',
  'open_session',
  'close_session',
];

export type Operation =
  | { name: 'authenticate' | 'acct_mgmt'; silent: boolean; disallowNullAuthtok: boolean }
  | { name: 'chauthtok'; silent: boolean; changeExpiredAuthtok: boolean }
  | { name: 'setcred'; silent: boolean; action: SetcredAction }
  | { name: 'open_session' | 'close_session'; silent: boolean };

const CRED_ACTIONS: Record<string, SetcredAction> = {
  PAM_ESTABLISH_CRED: 'establish',
  PAM_DELETE_CRED: 'delete',
  PAM_REINITIALIZE_CRED: 'reinitialize',
  PAM_REFRESH_CRED: 'refresh',
};

/** The flags each operation accepts, beside PAM_SILENT which all accept. */
const EXTRA_FLAGS: Record<OperationName, readonly string[]> = {
  authenticate: ['PAM_DISALLOW_NULL_AUTHTOK'],
  acct_mgmt: ['PAM_DISALLOW_NULL_AUTHTOK'],
  chauthtok: ['PAM_CHANGE_EXPIRED_AUTHTOK'],
  setcred: Object.keys(CRED_ACTIONS),
  open_session: [],
  close_session: [],
};

export class OperationSyntaxError extends Error {
  override name = 'OperationSyntaxError';
}

const SPEC = /^([a-z_]+)(?:\(([A-Za-z_|]*)\))?$/;

/** Parses one operation as written on the command line. */
export function parseOperation(spec: string): Operation {
  const match = SPEC.exec(spec);
  const name = match?.[1];
  if (match === null || name === undefined || !(OPERATION_NAMES as readonly string[]).includes(name)) {
    throw new OperationSyntaxError(
      `unknown operation '${spec.slice(0, 64)}' (one of ${OPERATION_NAMES.join(', ')}, optionally with flags: op(FLAG|FLAG))`,
    );
  }
  const op = name as OperationName;
  const flags = (match[2] ?? '')
    .split('|')
    .filter((flag) => flag !== '')
    .map((flag) => flag.toUpperCase());
  const allowed = ['PAM_SILENT', ...EXTRA_FLAGS[op]];
  for (const flag of flags) {
    if (!allowed.includes(flag)) {
      throw new OperationSyntaxError(`${op}: unknown flag '${flag.slice(0, 64)}' (allowed: ${allowed.join(', ')})`);
    }
  }
  const silent = flags.includes('PAM_SILENT');
  switch (op) {
    case 'authenticate':
    case 'acct_mgmt':
      return { name: op, silent, disallowNullAuthtok: flags.includes('PAM_DISALLOW_NULL_AUTHTOK') };
    case 'chauthtok':
      return { name: op, silent, changeExpiredAuthtok: flags.includes('PAM_CHANGE_EXPIRED_AUTHTOK') };
    case 'setcred': {
      const actions = flags.filter((flag) => Object.hasOwn(CRED_ACTIONS, flag));
      if (actions.length > 1) throw new OperationSyntaxError(`setcred: give at most one of ${Object.keys(CRED_ACTIONS).join(', ')}`);
      return { name: op, silent, action: actions[0] === undefined ? 'establish' : CRED_ACTIONS[actions[0]]! };
    }
    case 'open_session':
    case 'close_session':
      return { name: op, silent };
  }
}

/** Makes the PAM call an operation names. */
export function invokeOperation(tx: PamTransaction, op: Operation): Promise<void> {
  switch (op.name) {
    case 'authenticate':
      return tx.authenticate({ silent: op.silent, disallowNullAuthtok: op.disallowNullAuthtok });
    case 'acct_mgmt':
      return tx.acctMgmt({ silent: op.silent, disallowNullAuthtok: op.disallowNullAuthtok });
    case 'chauthtok':
      return tx.chauthtok({ silent: op.silent, changeExpiredAuthtok: op.changeExpiredAuthtok });
    case 'setcred':
      return tx.setcred(op.action, { silent: op.silent });
    case 'open_session':
      return tx.openSession({ silent: op.silent });
    case 'close_session':
      return tx.closeSession({ silent: op.silent });
  }
}
