// The tables as Kysely sees them (migrations/*/NNNN_*.sql). Instants are epoch ms, flags
// are 0/1 and JSON columns are text in both dialects, so rows look the same everywhere.
import type { Generated } from 'kysely';

type Flag = number;

export interface Database {
  projects: { id: string; settings: string; created_at: number; updated_at: number };
  cases: {
    project_id: string;
    id: string;
    type: string;
    name: string | null;
    owner_id: string | null;
    closed: Flag;
    deleted: Flag;
    properties: string;
    server_modified_on: number;
    indices: Generated<string>;
    parent_id: string | null;
    created_at: number;
    updated_at: number;
  };
  mobile_workers: {
    project_id: string;
    id: string;
    username: string | null;
    name: string | null;
    phone_numbers: string;
    email: string | null;
    language: string | null;
    time_zone: string | null;
    active: Flag;
    first_name: string | null;
    last_name: string | null;
    created_at: number;
    updated_at: number;
  };
  contact_groups: { project_id: string; id: string; kind: string; name: string | null; created_at: number };
  contact_group_members: { project_id: string; group_id: string; member_id: string };
  phone_entries: {
    id: Generated<number>;
    number: string;
    project_id: string;
    contact_kind: string;
    contact_id: string;
    state: string;
    claimed_at: number | null;
    verification_expires_at: number | null;
    created_at: number;
    updated_at: number;
  };
  gateways: {
    id: string;
    name: string;
    name_key: string;
    owner: string;
    type: string;
    config: string;
    is_default: Flag;
    rate_limit_per_minute: number | null;
    max_attempts: number;
    retry_minutes: number;
    opt_out_keywords: string | null;
    opt_in_keywords: string | null;
    inbound_secret: string | null;
    /** 0005: reads a global gateway's national sender numbers (ISO 3166 alpha-2). */
    default_country: string | null;
    /** 0006: saved with the admin key; its addresses are not guarded (SPEC 3.6). */
    trusted: Generated<Flag>;
    created_at: number;
    updated_at: number;
  };
  gateway_prefixes: { owner: string; prefix: string; gateway_id: string };
  gateway_shares: { gateway_id: string; project_id: string };
  events: {
    id: Generated<number>;
    project_id: string | null;
    source: string;
    source_id: string | null;
    channel: string;
    content: string;
    status: string;
    created_at: number;
    updated_at: number;
  };
  sub_events: {
    id: Generated<number>;
    event_id: number;
    project_id: string | null;
    recipient_kind: string;
    recipient_id: string;
    status: string;
    error_code: string | null;
    error_text: string | null;
    created_at: number;
    updated_at: number;
  };
  messages: {
    id: Generated<number>;
    project_id: string | null;
    event_id: number | null;
    sub_event_id: number | null;
    direction: string;
    channel: string;
    contact_kind: string | null;
    contact_id: string | null;
    phone: string | null;
    email: string | null;
    gateway_id: string | null;
    subject: string | null;
    text: string;
    segments: number | null;
    status: string;
    error_code: string | null;
    error_text: string | null;
    attempts: Generated<number>;
    kind: Generated<string>;
    reply_to: number | null;
    due_at: number | null;
    wait_reason: string | null;
    lease_owner: string | null;
    lease_until: number | null;
    idempotency_key: string;
    provider_message_id: string | null;
    outcome: string | null;
    created_at: number;
    sent_at: number | null;
    delivered_at: number | null;
    updated_at: number;
  };
  message_attempts: {
    id: Generated<number>;
    message_id: number;
    gateway_id: string | null;
    started_at: number;
    finished_at: number;
    outcome: string;
    status_code: number | null;
    detail: string | null;
    request_trace: string | null;
    response_trace: string | null;
  };
  daily_counts: { project_id: string; day: string; accepted: number };
  opt_outs: {
    number: string;
    opted_out: Flag;
    can_opt_in: Flag;
    project_id: string | null;
    opted_out_at: number | null;
    opted_in_at: number | null;
    updated_at: number;
  };
  alerts: {
    project_id: string;
    id: string;
    case_type: string;
    definition: string;
    active: Flag;
    version: number;
    processing_total: number;
    processing_done: number;
    processing_cursor: string | null;
    processing_pending: number;
    created_at: number;
    updated_at: number;
  };
  broadcasts: {
    project_id: string;
    id: string;
    definition: string;
    active: Flag;
    created_at: number;
    updated_at: number;
  };
  schedule_instances: {
    id: Generated<number>;
    project_id: string;
    source_kind: string;
    source_id: string;
    subject_key: string;
    state: string;
    occurrences: number;
    next_due_at: number | null;
    /** Why the instance was taken out of the due queue (0007); null when it is not. */
    error_text: string | null;
    active: Flag;
    created_at: number;
    updated_at: number;
  };
  keywords: {
    project_id: string;
    keyword_key: string;
    keyword: string;
    definition: string;
    created_at: number;
    updated_at: number;
  };
  surveys: { project_id: string; id: string; definition: string; created_at: number; updated_at: number };
  /** One row (id 1): bumped by triggers on every write to projects, gateways and keywords. */
  config_version: { id: number; version: number | string };
  survey_sessions: {
    id: Generated<number>;
    project_id: string;
    survey_id: string;
    contact_kind: string;
    contact_id: string;
    number: string;
    gateway_id: string | null;
    state: string;
    open: Flag;
    status: Generated<string>;
    ended_at: number | null;
    expires_at: number;
    next_reminder_at: number | null;
    created_at: number;
    updated_at: number;
  };
  api_keys: {
    id: string;
    project_id: string | null;
    key_hash: string;
    name: string | null;
    created_at: number;
    revoked_at: number | null;
  };
  /** Provider ids a gateway handed us, each processed once (0004). */
  gateway_receipts: {
    gateway_id: string;
    kind: string;
    receipt_key: string;
    provider_message_id: string;
    message_id: number | null;
    result: string | null;
    detail: string | null;
    reroute: string | null;
    received_at: number;
    applied_at: number | null;
  };
  /** The provider ids of each part of a message sent in several (0004). */
  message_parts: {
    gateway_id: string;
    provider_message_id: string;
    message_id: number;
    part: number;
    status: Generated<string>;
  };
  /** Operator console sessions (0002): the SHA-256 of the session id and of the key it was opened with. */
  console_sessions: { id_hash: string; key_hash: string; created_at: number; expires_at: number };
}
