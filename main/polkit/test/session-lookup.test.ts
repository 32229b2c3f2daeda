// Which logind session the agent serves when no --process is given, against a
// real dbus-daemon with the fake logind the locker's tests use (no logind runs
// here). polkitd's side of a session registration needs a real logind and is
// not tested here.
import * as dbus from 'dbus-next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateBus, privateBusUnavailable } from '../../lock/test/private-bus';
import { sessionIdOf } from '../bus-calls';

const SESSION_ID = 'c9';
const UID = 4343;
const unavailable = privateBusUnavailable();
if (unavailable !== undefined) console.warn(`SKIP the agent's session lookup: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('the session the agent serves', () => {
  let bus: PrivateBus;
  let connection: dbus.MessageBus;

  beforeAll(async () => {
    bus = await PrivateBus.start({ sessionId: SESSION_ID, uid: UID, knownPids: [process.pid] });
    connection = dbus.sessionBus({ busAddress: bus.address });
  });

  afterAll(async () => {
    connection?.disconnect();
    await bus?.stop();
  });

  it('is the session of its process, as logind says', async () => {
    expect(await sessionIdOf(connection, process.pid, 1)).toBe(SESSION_ID);
  });

  it("outside any session (a systemd user unit): the user's display session, as polkitd finds it", async () => {
    expect(await sessionIdOf(connection, 1, UID)).toBe(SESSION_ID);
  });

  it('fails when logind knows neither', async () => {
    await expect(sessionIdOf(connection, 1, 1)).rejects.toThrow(/NoSessionForPID|No user/);
  });
});
