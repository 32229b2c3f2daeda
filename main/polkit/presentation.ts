// A request as the person sees it: polkitd's message, the action's id, who asks,
// the action's details, and the accounts that may authenticate for it.
//
// polkitd adds polkit.caller-pid (the process that asked polkitd: pkexec,
// systemd, NetworkManager) and polkit.subject-pid (the process the action is
// for). They become "who asks" and two readable details; the other polkit.*
// keys (gettext domain, the untranslated message) are polkitd's bookkeeping.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { accountByUid, type Account } from '../auth/accounts';
import type { AuthenticationRequest } from './request';

export interface Identity {
  uid: number;
  name: string;
  displayName?: string;
}

export interface PresentedRequest {
  /** A new random id for every request (never the cookie): tells one request from the next. */
  id: string;
  actionId: string;
  message: string;
  /** The program that asks, by name. */
  program: string;
  details: { name: string; value: string }[];
  /** Who may authenticate, in polkitd's order with the agent's own user first; never empty. */
  identities: Identity[];
  /** Handed to the helper; never shown, never logged. */
  cookie: string;
}

export interface PresentationLookups {
  account(uid: number): Promise<Account | undefined>;
  /** The name of a running process (its argv[0]), undefined when it is gone or hidden. */
  processName(pid: number): string | undefined;
  /** The uid the agent runs as. */
  ownUid: number;
}

export const systemLookups: PresentationLookups = {
  account: accountByUid,
  processName,
  ownUid: process.getuid?.() ?? -1,
};

export class NoIdentityError extends Error {
  override name = 'NoIdentityError';
}

export async function presentRequest(
  request: AuthenticationRequest,
  lookups: PresentationLookups = systemLookups,
): Promise<PresentedRequest> {
  const identities: Identity[] = [];
  for (const uid of request.uids) {
    const account = await lookups.account(uid);
    if (account === undefined) continue; // no passwd entry: the helper could not authenticate it
    identities.push({
      uid,
      name: account.name,
      ...(account.fullName === '' || account.fullName === account.name ? {} : { displayName: account.fullName }),
    });
  }
  if (identities.length === 0) throw new NoIdentityError('none of the identities polkitd offered is a known account');
  const own = identities.findIndex((identity) => identity.uid === lookups.ownUid);
  if (own > 0) identities.unshift(...identities.splice(own, 1));

  const pidOf = (key: string) => {
    const value = request.details.find(([name]) => name === key)?.[1];
    return value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : undefined;
  };
  const callerPid = pidOf('polkit.caller-pid');
  const subjectPid = pidOf('polkit.subject-pid');
  const callerName = callerPid === undefined ? undefined : lookups.processName(callerPid);
  const subjectName = subjectPid === undefined ? undefined : lookups.processName(subjectPid);

  const details = request.details.filter(([name]) => !name.startsWith('polkit.')).map(([name, value]) => ({ name, value }));
  if (callerPid !== undefined) details.push({ name: 'Requested by', value: processText(callerName, callerPid) });
  if (subjectPid !== undefined && subjectPid !== callerPid) details.push({ name: 'For', value: processText(subjectName, subjectPid) });

  return {
    id: randomUUID(),
    actionId: request.actionId,
    message: request.message.trim() === '' ? request.actionId : request.message,
    program: callerName ?? subjectName ?? 'A program',
    details,
    identities,
    cookie: request.cookie,
  };
}

function processText(name: string | undefined, pid: number): string {
  return `${name ?? 'a process'} (pid ${pid})`;
}

/** argv[0]'s base name from /proc (or the kernel's short name), cut to 64 characters. */
export function processName(pid: number): string | undefined {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    if (argv0 !== '') return basename(argv0).slice(0, 64);
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    return comm === '' ? undefined : comm.slice(0, 64);
  } catch {
    return undefined;
  }
}
