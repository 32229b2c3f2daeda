// The preload's API surface: the typed GatehouseBridge and nothing else, both as a
// module and as the bundled file a window loads (run here with a stand-in for the
// 'electron' module, the only thing a sandboxed preload can require).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import type { IpcRendererEvent } from 'electron';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../../../../lab/paths';
import { makeTempDir } from '../../../../lab/tmp';
import type { GatehouseBridge } from '../../../protocol/bridge';
import { event, PROTOCOL_VERSION, request, type Event } from '../../../protocol';
import { IPC_CHANNELS } from '../channels';
import { createGatehouseBridge, type BridgeTransport } from '../preload-api';

function transport() {
  const sent: unknown[] = [];
  let receive: ((payload: unknown) => void) | undefined;
  const t: BridgeTransport = {
    send: (r) => sent.push(r),
    onEvent: (fn) => {
      receive = fn;
    },
  };
  return { t, sent, push: (payload: unknown) => receive?.(payload) };
}

const phase = event({ type: 'phase', name: 'authenticate' });

describe('createGatehouseBridge', () => {
  it('has exactly protocolVersion, send and subscribe, and is frozen', () => {
    const bridge = createGatehouseBridge(transport().t, PROTOCOL_VERSION);
    expect(Object.keys(bridge).sort()).toEqual(['protocolVersion', 'send', 'subscribe']);
    expect(bridge.protocolVersion).toBe(PROTOCOL_VERSION);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('sends the request and nothing else', () => {
    const { t, sent } = transport();
    const bridge = createGatehouseBridge(t, PROTOCOL_VERSION);
    bridge.send(request({ type: 'hello' }));
    expect(sent).toEqual([{ v: PROTOCOL_VERSION, type: 'hello' }]);
  });

  it('sends an answer as its UTF-8 bytes, zeroed once sent', () => {
    const sent: Array<{ copy: Uint8Array; original: Uint8Array }> = [];
    const bridge = createGatehouseBridge(
      {
        // IPC copies synchronously (structured clone): so does this stand-in.
        send: (r) => {
          const value = (r as { value: Uint8Array }).value;
          sent.push({ copy: Uint8Array.from(value), original: value });
        },
        onEvent: () => {},
      },
      PROTOCOL_VERSION,
    );
    bridge.send(request({ type: 'answer', id: 'b1.0', value: 'pässword' }));
    expect(Buffer.from(sent[0]!.copy).toString('utf8')).toBe('pässword');
    expect(sent[0]!.original.every((b) => b === 0)).toBe(true);
  });

  it('hands listeners the event alone, until they unsubscribe', () => {
    const { t, push } = transport();
    const bridge = createGatehouseBridge(t, PROTOCOL_VERSION);
    const listener = vi.fn();
    const stop = bridge.subscribe(listener);
    push(phase);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([phase]);
    stop();
    push(phase);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('keeps two subscriptions of one function apart', () => {
    const { t, push } = transport();
    const bridge = createGatehouseBridge(t, PROTOCOL_VERSION);
    const listener = vi.fn();
    const first = bridge.subscribe(listener);
    bridge.subscribe(listener);
    first();
    push(phase);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('delivers to every listener even when one throws', () => {
    const { t, push } = transport();
    const bridge = createGatehouseBridge(t, PROTOCOL_VERSION);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const after = vi.fn();
    bridge.subscribe(() => {
      throw new Error('broken listener');
    });
    bridge.subscribe(after);
    push(phase);
    expect(after).toHaveBeenCalledWith(phase);
    expect(errors).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });

  it('refuses a listener that is not a function', () => {
    const bridge = createGatehouseBridge(transport().t, PROTOCOL_VERSION);
    expect(() => bridge.subscribe('nope' as unknown as (e: Event) => void)).toThrow(TypeError);
  });
});

describe('the bundled preload (dist/electron/preload.js)', () => {
  let source = '';
  let inputs: string[] = [];

  beforeAll(async () => {
    const bundle = (await import(join(REPO_ROOT, 'main', 'hosts', 'electron', 'bundle.mjs'))) as {
      bundleElectronAssets(options: { root: string; outDir: string }): Promise<{ preloadFile: string; inputs: string[] }>;
    };
    const built = await bundle.bundleElectronAssets({ root: REPO_ROOT, outDir: makeTempDir('gatehouse-electron-') });
    source = readFileSync(built.preloadFile, 'utf8');
    inputs = built.inputs;
  });

  /** Loads the bundle as Electron would, with `electron` standing in for the real module. */
  function load() {
    const exposed: Record<string, unknown> = {};
    const sent: { channel: string; args: unknown[] }[] = [];
    const listeners = new Map<string, (event: IpcRendererEvent, ...args: unknown[]) => void>();
    const required: string[] = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => {
          exposed[key] = api;
        },
      },
      ipcRenderer: {
        send: (channel: string, ...args: unknown[]) => sent.push({ channel, args }),
        on: (channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void) => {
          listeners.set(channel, listener);
        },
      },
    };
    const module = { exports: {} };
    runInNewContext(source, {
      module,
      exports: module.exports,
      console,
      require: (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`the preload required ${name}`);
        return electron;
      },
    });
    return { exposed, sent, listeners, required };
  }

  it('is one file built from our own sources only', () => {
    expect(inputs.every((input) => !input.includes('node_modules'))).toBe(true);
    expect(source).not.toMatch(/\bzod\b/);
  });

  it('requires nothing but electron and exposes only window.gatehouse', () => {
    const { exposed, required } = load();
    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['gatehouse']);
    const bridge = exposed.gatehouse as GatehouseBridge;
    expect(Object.keys(bridge).sort()).toEqual(['protocolVersion', 'send', 'subscribe']);
    expect(bridge.protocolVersion).toBe(PROTOCOL_VERSION);
  });

  it('sends requests on the request channel and passes on events without the IPC event object', () => {
    const { exposed, sent, listeners } = load();
    const bridge = exposed.gatehouse as GatehouseBridge;
    bridge.send(request({ type: 'hello' }));
    expect(sent).toEqual([{ channel: IPC_CHANNELS.request, args: [{ v: PROTOCOL_VERSION, type: 'hello' }] }]);
    expect([...listeners.keys()]).toEqual([IPC_CHANNELS.event]);
    const received: unknown[][] = [];
    bridge.subscribe((...args: unknown[]) => received.push(args));
    const ipcEvent = { sender: { send: () => {} }, senderId: 0 } as unknown as IpcRendererEvent;
    listeners.get(IPC_CHANNELS.event)!(ipcEvent, phase);
    expect(received).toEqual([[phase]]);
  });
});
