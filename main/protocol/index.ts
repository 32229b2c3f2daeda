// The typed, versioned protocol between the engine and any UI.
export * from './messages';
export { answerBytes, copyToAnswerBytes } from './answer-bytes';
export type { GatehouseBridge } from './bridge';
