// Every REST request the simulator answered (not CometD traffic, not the control API).
export interface LoggedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, string>;
  userName?: string;
  /** Parsed JSON when it parsed, the raw text otherwise, undefined when empty. */
  body?: unknown;
  /** HTTP status. */
  status: number;
  /** The reply's GWS statusCode, when the reply had one. */
  statusCode?: number;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  constructor(private readonly max = 5000) {}

  add(entry: Omit<LoggedRequest, 'seq' | 'time'>): LoggedRequest {
    this.seq += 1;
    const e: LoggedRequest = { seq: this.seq, time: new Date().toISOString(), ...entry };
    this.entries.push(e);
    if (this.entries.length > this.max) this.entries = this.entries.slice(-this.max);
    return e;
  }

  /** Entries with seq > sinceSeq. */
  since(sinceSeq = 0): LoggedRequest[] {
    return this.entries.filter((e) => e.seq > sinceSeq).map((e) => structuredClone(e));
  }

  clear(): void {
    this.entries = [];
  }
}
