// The linearizability checker for object-store histories (one register per key).
export { checkHistory, describeCheck, DEFAULT_MAX_STEPS_PER_KEY, type CheckOptions, type CheckResult, type KeyVerdict } from './check-history.ts';
export { describeCall, describeOp, describeResult, isWrite, writtenValue, type HistoryOp, type RegisterCall, type RegisterResult } from './register-op.ts';
export { possibleFinalStates, possibleLastWrites, prepareKeyOps, stepRegister, UNOBSERVED_VALUE, type PreparedOp, type RegisterState } from './register-model.ts';
export { narrowViolation, type ViolationWindow } from './violation-window.ts';
export { searchLinearization, type SearchOutcome, type SearchVerdict } from './wgl-search.ts';
