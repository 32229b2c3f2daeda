// The typed, versioned protocol between the engine and any UI.
export * from './messages';
export type { GatehouseBridge } from './bridge';
