// The locker against a real dbus-daemon: session discovery, logind's Lock and
// PrepareForSleep, LockedHint, signals from impostors, and the sleep delay
// inhibitor through the real systemd-inhibit and a real file descriptor. logind
// itself is the fake in fixtures/fake_logind.py; the lock screen is a scripted
// stand-in (the windows need Electron; see e2e/electron for those).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Log } from '../../auth/log';
import { LockDaemon, type LockScreen } from '../lock-daemon';
import { LogindClient } from '../logind-client';
import { SleepInhibitor } from '../sleep-inhibitor';
import { eventually, PrivateBus, privateBusUnavailable } from './private-bus';

const SESSION_ID = 'c7';
const UID = 4242;
const unavailable = privateBusUnavailable();
if (unavailable !== undefined) console.warn(`SKIP the locker's D-Bus tests: ${unavailable}`);
const describeWithBus = unavailable === undefined ? describe : describe.skip;

const quiet: Log = () => {};

describeWithBus(`gatehouse lock on a private D-Bus${unavailable === undefined ? '' : ` [skipped: ${unavailable}]`}`, () => {
  let bus: PrivateBus;

  beforeAll(async () => {
    bus = await PrivateBus.start({ sessionId: SESSION_ID, uid: UID, knownPids: [process.pid] });
  });

  afterAll(async () => {
    await bus?.stop();
  });

  describe('LogindClient', () => {
    it('finds the session by XDG_SESSION_ID, by pid, then by the user’s display session', async () => {
      const byId = await LogindClient.connect(bus.address, { sessionId: SESSION_ID, pid: 1, uid: 1 });
      expect(byId.sessionPath).toBe(bus.sessionPath);
      byId.close();
      const byPid = await LogindClient.connect(bus.address, { pid: process.pid, uid: 1 });
      expect(byPid.sessionPath).toBe(bus.sessionPath);
      byPid.close();
      const byUser = await LogindClient.connect(bus.address, { sessionId: 'nope', pid: 1, uid: UID });
      expect(byUser.sessionPath).toBe(bus.sessionPath);
      byUser.close();
      expect((await bus.state()).lookups).toEqual(
        expect.arrayContaining([`session:${SESSION_ID}`, `pid:${process.pid}`, 'session:nope', 'pid:1', `uid:${UID}`]),
      );
    });

    it('says why when there is no session to watch', async () => {
      await expect(LogindClient.connect(bus.address, { pid: 1, uid: 1 })).rejects.toThrow(
        /no logind session to watch \(pid 1: .*; uid 1: .*\)/,
      );
    });

    it('says so when logind is not on the bus', async () => {
      await expect(LogindClient.connect('unix:path=/nonexistent/bus', { pid: 1, uid: 1 })).rejects.toThrow(/logind is not reachable/);
    });

    it('passes on Lock and PrepareForSleep, and sets the LockedHint', async () => {
      const client = await LogindClient.connect(bus.address, { sessionId: SESSION_ID, pid: 1, uid: 1 });
      const seen: string[] = [];
      client.on('lock', () => seen.push('lock'));
      client.on('prepare-for-sleep', (sleeping) => seen.push(`sleep:${sleeping}`));
      await bus.emitLock();
      await bus.emitPrepareForSleep(true);
      await bus.emitPrepareForSleep(false);
      await eventually(() => seen.length === 3, 'three signals');
      expect(seen).toEqual(['lock', 'sleep:true', 'sleep:false']);
      await client.setLockedHint(true);
      await client.setLockedHint(false);
      expect((await bus.state()).lockedHints.slice(-2)).toEqual([true, false]);
      client.close();
    });

    it('ignores Lock and PrepareForSleep sent by anyone but logind', async () => {
      const client = await LogindClient.connect(bus.address, { sessionId: SESSION_ID, pid: 1, uid: 1 });
      const seen: string[] = [];
      client.on('lock', () => seen.push('lock'));
      client.on('prepare-for-sleep', (sleeping) => seen.push(`sleep:${sleeping}`));
      await bus.spoof(bus.sessionPath, 'org.freedesktop.login1.Session', 'Lock');
      await bus.spoof('/org/freedesktop/login1', 'org.freedesktop.login1.Manager', 'PrepareForSleep', 'b', [true]);
      // A genuine signal afterwards arrives, so the impostors had their chance.
      await bus.emitLock();
      await eventually(() => seen.length > 0, 'the genuine Lock');
      expect(seen).toEqual(['lock']);
      client.close();
    });
  });

  describe('SleepInhibitor (systemd-inhibit)', () => {
    it('takes a sleep delay inhibitor and closes its descriptor on release', async () => {
      const lost: string[] = [];
      const before = (await bus.state()).inhibitors.length;
      const inhibitor = new SleepInhibitor({ busAddress: bus.address, who: 'Gatehouse', why: 'testing', onLost: (r) => lost.push(r) });
      inhibitor.take();
      inhibitor.take(); // one at a time
      await eventually(async () => (await bus.state()).inhibitors.length === before + 1, 'the Inhibit call');
      const taken = (await bus.state()).inhibitors[before]!;
      expect(taken).toMatchObject({ what: 'sleep', who: 'Gatehouse', why: 'testing', mode: 'delay', releasedAt: null });
      expect(inhibitor.held).toBe(true);
      // Held for as long as we do not release it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await bus.state()).inhibitors[before]!.releasedAt).toBeNull();
      inhibitor.release();
      expect(inhibitor.held).toBe(false);
      await eventually(async () => (await bus.state()).inhibitors[before]!.releasedAt !== null, 'the release');
      expect(lost).toEqual([]);
    });

    it('reports an inhibitor it could not take', async () => {
      const lost: string[] = [];
      const inhibitor = new SleepInhibitor({ busAddress: 'unix:path=/nonexistent/bus', who: 'Gatehouse', why: 'testing', onLost: (r) => lost.push(r) });
      inhibitor.take();
      await eventually(() => lost.length === 1, 'the failure');
      expect(lost[0]).toMatch(/systemd-inhibit ended \(status \d+\)/);
      expect(inhibitor.held).toBe(false);
      const missing = new SleepInhibitor({ busAddress: bus.address, who: 'G', why: 'w', command: '/nonexistent/systemd-inhibit', onLost: (r) => lost.push(r) });
      missing.take();
      await eventually(() => lost.length === 2, 'the spawn failure');
      expect(lost[1]).toMatch(/could not run/);
    });
  });

  describe('LockDaemon', () => {
    it('locks before sleep and holds the sleep until every window has painted; unlocks; takes the inhibitor again', async () => {
      const client = await LogindClient.connect(bus.address, { sessionId: SESSION_ID, pid: 1, uid: 1 });
      const start = (await bus.state()).inhibitors.length;
      const screens: { paint(): void; unlock(): void }[] = [];
      const showLock = (): LockScreen => {
        let paint!: () => void;
        let finish!: (code: number) => void;
        const screen: LockScreen = {
          painted: new Promise((resolve) => (paint = resolve)),
          finished: new Promise((resolve) => (finish = resolve)),
        };
        screens.push({ paint, unlock: () => finish(0) });
        return screen;
      };
      const fatal: number[] = [];
      const daemon: LockDaemon = new LockDaemon({
        showLock,
        signals: client,
        inhibitor: new SleepInhibitor({ busAddress: bus.address, who: 'Gatehouse', why: 'lock before sleep', onLost: (r) => daemon.inhibitorLost(r) }),
        onFatal: (code) => fatal.push(code),
        log: quiet,
      });
      daemon.start();
      const inhibitors = async () => (await bus.state()).inhibitors.slice(start);
      await eventually(async () => (await inhibitors()).length === 1, 'the first inhibitor');

      await bus.emitPrepareForSleep(true);
      await eventually(() => screens.length === 1, 'the lock screen');
      // Not painted yet: the sleep stays delayed.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await inhibitors())[0]!.releasedAt).toBeNull();
      screens[0]!.paint();
      await eventually(async () => (await inhibitors())[0]!.releasedAt !== null, 'the release after painting');
      await eventually(async () => (await bus.state()).lockedHints.at(-1) === true, 'LockedHint true');

      // Resume with the lock still up: no new inhibitor; the unlock takes one.
      await bus.emitPrepareForSleep(false);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await inhibitors()).toHaveLength(1);
      screens[0]!.unlock();
      await eventually(async () => (await inhibitors()).length === 2, 'a new inhibitor after the unlock');
      expect((await bus.state()).lockedHints.at(-1)).toBe(false);
      expect(daemon.locked).toBe(false);

      // logind's Lock (loginctl lock-session) locks too, once.
      await bus.emitLock();
      await bus.emitLock();
      await eventually(() => screens.length === 2, 'the second lock screen');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(screens).toHaveLength(2);
      screens[1]!.paint();
      await eventually(async () => (await inhibitors())[1]!.releasedAt !== null, 'the release after the second paint');
      screens[1]!.unlock();
      await eventually(async () => (await inhibitors()).length === 3, 'the inhibitor after the second unlock');
      expect(fatal).toEqual([]);
      client.close();
      // Leave no holder behind.
      daemon.lock('command');
      screens[2]!.paint();
      await eventually(async () => (await inhibitors())[2]!.releasedAt !== null, 'the last release');
    });

    it('takes a lost inhibitor again, waiting twice as long after each loss', async () => {
      const entries: Record<string, unknown>[] = [];
      const daemon: LockDaemon = new LockDaemon({
        showLock: () => ({ painted: Promise.resolve(), finished: new Promise(() => {}) }),
        // logind is not on this bus: every systemd-inhibit fails at once.
        inhibitor: new SleepInhibitor({ busAddress: 'unix:path=/nonexistent/bus', who: 'Gatehouse', why: 'w', onLost: (r) => daemon.inhibitorLost(r) }),
        onFatal: () => {},
        log: (entry) => entries.push(entry),
        inhibitorRetryMs: 50,
      });
      daemon.start();
      await eventually(() => entries.filter((e) => e.event === 'inhibitor-lost').length >= 3, 'three losses');
      const delays = entries.filter((e) => e.event === 'inhibitor-lost').map((e) => e.retryInMs);
      expect(delays.slice(0, 3)).toEqual([50, 100, 200]);
      // Stop the retries: with the lock up and painted no inhibitor is wanted.
      daemon.lock('command');
    });

    it('puts a lock screen that died up again, a few times a minute, then ends the daemon', async () => {
      const finishes: ((code: number) => void)[] = [];
      const fatal: number[] = [];
      const entries: Record<string, unknown>[] = [];
      const daemon = new LockDaemon({
        showLock: () => ({ painted: Promise.resolve(), finished: new Promise((resolve) => finishes.push(resolve)) }),
        onFatal: (code) => fatal.push(code),
        log: (entry) => entries.push(entry),
        relock: { maxRestarts: 2, windowMs: 60_000 },
      });
      daemon.start();
      daemon.lock('command');
      finishes[0]!(137); // the guard was killed
      await eventually(() => finishes.length === 2, 'the second lock screen');
      finishes[1]!(139);
      await eventually(() => finishes.length === 3, 'the third lock screen');
      expect(fatal).toEqual([]);
      expect(daemon.locked).toBe(true);
      finishes[2]!(137);
      await eventually(() => fatal.length === 1, 'the fatal end');
      expect(fatal).toEqual([137]);
      expect(entries.filter((e) => e.event === 'lock-lost').map((e) => e.exitCode)).toEqual([137, 139, 137]);
    });

    it('locks at once when logind’s LockedHint says the locker before it died while locked', async () => {
      await bus.presetLockedHint(true);
      const client = await LogindClient.connect(bus.address, { sessionId: SESSION_ID, pid: 1, uid: 1 });
      expect(await client.lockedHint()).toBe(true);
      const shown: string[] = [];
      const showLock = (): LockScreen => {
        shown.push('lock');
        return { painted: Promise.resolve(), finished: new Promise(() => {}) };
      };
      const entries: Record<string, unknown>[] = [];
      new LockDaemon({ showLock, signals: client, onFatal: () => {}, log: (entry) => entries.push(entry) }).start();
      await eventually(() => shown.length === 1, 'the lock screen');
      expect(entries).toContainEqual(expect.objectContaining({ event: 'lock-requested', reason: 'restart' }));

      await bus.presetLockedHint(false);
      const calm: string[] = [];
      new LockDaemon({ showLock: () => (calm.push('lock'), showLock()), signals: client, onFatal: () => {}, log: quiet }).start();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(calm).toEqual([]);
      client.close();
    });

    it('stopped by a signal: ends the lock screen, clears the LockedHint, then ends with 128 + N', async () => {
      const client = await LogindClient.connect(bus.address, { sessionId: SESSION_ID, pid: 1, uid: 1 });
      const stops: string[] = [];
      let finish!: (code: number) => void;
      const fatal: number[] = [];
      const daemon = new LockDaemon({
        showLock: () => ({
          painted: Promise.resolve(),
          finished: new Promise((resolve) => (finish = resolve)),
          stop: (signal) => {
            stops.push(signal);
            setTimeout(() => finish(143), 50);
          },
        }),
        signals: client,
        onFatal: (code) => fatal.push(code),
        log: quiet,
      });
      daemon.start();
      daemon.lock('command');
      await eventually(async () => (await bus.state()).lockedHint, 'LockedHint true');
      daemon.stop('SIGTERM');
      await eventually(() => fatal.length === 1, 'the end');
      expect(stops).toEqual(['SIGTERM']);
      expect(fatal).toEqual([143]);
      expect((await bus.state()).lockedHint).toBe(false);
      client.close();
    });
  });
});
