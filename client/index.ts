// `agentstream-client`: the client package's public entry. Every line here is an API decision.
export { AgentstreamClient, AgentstreamError, StreamLostError } from './agentstream-client.ts';
export type { ClientOptions, IterateOptions, QuestionAnswer, RunInputResult, StartRunRequest, StreamOptions, ToolDecision } from './agentstream-client.ts';
export { RAW_FORMATS } from './api-types.ts';
export type { AgentInfo, ModelInfo, ModelList, RawFormat, RunFilter, RunPage, RunRecord, RunResult, TeamInfo, TeamMemberInfo } from './api-types.ts';
export { applyEvent, applyEvents, laneKeyOf } from './apply-event.ts';
export { emptyRunView } from './run-view.ts';
export type { LaneItem, LaneView, RoutingView, RunStatus, RunTimings, RunView, ToolCallView } from './run-view.ts';
export { RunEventSchema, parseRunEvent } from '../src/events/run-event-schema.ts';
export { isTerminal } from '../src/events/run-event.ts';
export type { AgentRef, JsonValue, PublicError, RunEvent, RunEventOf, RunEventType, RunTarget, Usage } from '../src/events/run-event.ts';
