// The two IPC channels between the preload and the main process. Nothing else
// crosses the boundary.
export const IPC_CHANNELS = {
  /** renderer -> main: one protocol Request (parsed once by engine-link.ts: receiveUntrusted). */
  request: 'gatehouse:request',
  /** main -> renderer: one protocol Event. */
  event: 'gatehouse:event',
} as const;
