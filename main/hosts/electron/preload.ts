// The preload of the conversation window, bundled by esbuild into one CommonJS
// file (dist/electron/preload.js, see bundle.mjs): a sandboxed preload can require
// nothing but 'electron' and a few Node built-ins. It exposes `window.gatehouse`
// and nothing else. The bundler replaces the protocol module by its version
// number alone, so that the schemas (and zod) stay out of every window.
import { contextBridge, ipcRenderer } from 'electron';
import { PROTOCOL_VERSION } from '../../protocol/messages';
import { IPC_CHANNELS } from './channels';
import { createGatehouseBridge } from './preload-api';

const bridge = createGatehouseBridge(
  {
    send: (request) => ipcRenderer.send(IPC_CHANNELS.request, request),
    onEvent: (receive) => {
      ipcRenderer.on(IPC_CHANNELS.event, (_event, payload: unknown) => receive(payload));
    },
  },
  PROTOCOL_VERSION,
);

contextBridge.exposeInMainWorld('gatehouse', bridge);
