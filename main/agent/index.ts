// The public API of the agent core (electron-free: runs under plain Node).
export { createAgentSession, systemClock } from './session';
export type { AgentSession, AgentSessionOptions, CallbackType, ChainAttribute, Clock, OperationAck, RecordUpdate, SignInParams } from './session';
export type * from './snapshot';
export { reduce, changedKeys } from './reducer';
export type { AgentEvent } from './events';
export { GwsError, ERROR_CODES } from '../gws/errors';
export type { ErrorCode, ErrorInfo } from '../gws/errors';
export type { HttpTransport, HttpRequest, HttpResponse } from '../gws/http-transport';
export { TransportFailure, fetchTransport } from '../gws/http-transport';
export type { NotificationConnection, NotificationConnectionFactory, NotificationStatus, Disposable } from '../gws/notifications';
export { createCometdConnection } from '../gws/notifications';
export type { Logger } from '../gws/logger';
