/** `EngramAdmin`: the admin API, authorised by ADMIN_TOKEN (tenant keys are refused). Server side only. */
import { type FetchLike, seg, Transport } from './http';
import type { MintedKey, MintKeyRequest, RevokedKey, Schedules } from './types';

export interface EngramAdminOptions {
  baseUrl: string;
  /** The deployment's ADMIN_TOKEN secret: keep it out of browsers. */
  adminToken: string;
  fetch?: FetchLike;
}

export class EngramAdmin {
  private readonly t: Transport;

  constructor(options: EngramAdminOptions) {
    this.t = new Transport({ baseUrl: options.baseUrl, token: options.adminToken, ...(options.fetch && { fetch: options.fetch }) });
  }

  /** A new API key for `tenant`; the key is in this answer only. `rate_limit` overrides the default limit. */
  mintKey(tenant: string, options: MintKeyRequest = {}): Promise<MintedKey> {
    return this.t.request('POST', `/v1/admin/tenants/${seg(tenant)}/keys`, { body: options });
  }

  /** Creates or overwrites the expiry and compaction schedules (idempotent). */
  ensureSchedules(): Promise<Schedules> {
    return this.t.request('POST', '/v1/admin/schedules');
  }

  revokeKey(keyId: string): Promise<RevokedKey> {
    return this.t.request('DELETE', `/v1/admin/keys/${seg(keyId)}`);
  }
}
