/**
 * The records the local QStash keeps in memory. Times are epoch milliseconds on the server's local
 * clock (which tests advance), except where a field says otherwise.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The life of a message here. Real QStash forgets delivered messages; we keep terminal ones (up to a
 * cap) so tests can assert on them through `/_local/qstash/messages`. `failed` means "moved to the DLQ".
 */
export type MessageState = 'pending' | 'in_flight' | 'delivered' | 'failed' | 'cancelled';

/** Where and how a callback (or failure callback) is sent, from `Upstash-[Failure-]Callback-*`. */
export interface CallbackSpec {
  url: string;
  method: HttpMethod;
  retries: number;
  retryDelay?: string;
  timeoutMs?: number;
  delayMs: number;
  /** Forwarded headers, lowercase names, prefix already stripped. */
  forward: Record<string, string>;
}

/** One publish, parsed from the `Upstash-*` headers (publish, enqueue, batch item, schedule tick). */
export interface PublishSpec {
  url: string;
  method: HttpMethod;
  body: Buffer;
  contentType?: string;
  /** Headers to forward on delivery: lowercase names, `Upstash-Forward-` prefix stripped. */
  forward: Record<string, string>;
  /** Absolute time before which the message is not delivered. */
  notBefore: number;
  /** Retries after the first attempt (Upstash-Retries, default 3). */
  retries: number;
  /** Upstash-Retry-Delay: a math expression in ms over `retried`. */
  retryDelay?: string;
  timeoutMs?: number;
  dedupId?: string;
  contentDedup: boolean;
  callback?: CallbackSpec;
  failureCallback?: CallbackSpec;
  queueName?: string;
  labels: string[];
  flowControlKey?: string;
  flowControlValue?: string;
  /** From the flow-control value: deliveries in flight at once for this key. */
  parallelism?: number;
}

export interface ResponseRecord {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface StoredMessage extends PublishSpec {
  /** Insertion order: FIFO for queues and a stable listing order. */
  seq: number;
  messageId: string;
  /** Callbacks are messages too, but never get callbacks of their own. */
  kind: 'message' | 'callback' | 'failure-callback';
  scheduleId?: string;
  createdAt: number;
  /** When the next attempt may start (first attempt: notBefore; later: the retry time). */
  dueAt: number;
  /** Failed attempts so far = the `Upstash-Retried` value of the next attempt. */
  retried: number;
  state: MessageState;
  /** The id of the attempt in flight, handed out by pull and consumed by report. */
  deliveryId?: string;
  lastResponse?: ResponseRecord;
  dlqId?: string;
  callerIp: string;
}

/** One due attempt, as `pull` hands it to whoever performs the HTTP call. */
export interface PendingDelivery {
  /** The attempt id to pass back to `report`. */
  id: string;
  message_id: string;
  url: string;
  method: HttpMethod;
  /** Lowercase names, including `upstash-signature` (freshly signed on pull). */
  headers: Record<string, string>;
  /** The body as UTF-8 text (empty for GET). */
  body: string;
  retried: number;
}

export interface DeliveryOutcome {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface DlqEntry {
  dlqId: string;
  message: StoredMessage;
  response: ResponseRecord;
  /** When it entered the DLQ. */
  at: number;
}
