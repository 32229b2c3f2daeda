// polkit-agent-helper-1 as a PAM source for the engine (see helper-transaction.ts).
export { polkitHelperSource, DEFAULT_SILENCE_TIMEOUT_MS, HELPER_SERVICE, type PolkitHelperOptions } from './helper-transaction';
export { findHelper, HELPER_PATHS } from './helper-process';
export { MAX_HELPER_ANSWER_BYTES, parseHelperLine, unescapeHelperText, helperAnswerProblem, type HelperLine } from './line-protocol';
