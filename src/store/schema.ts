import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** 0/1 flags: SQLite has no boolean type, so both dialects store integers. */
export type Flag = 0 | 1;

export interface SourcesTable {
  id: string;
  as_of: string;
  title_en: string;
  title_ru: string | null;
  title_kk: string | null;
  url: string | null;
}

export interface CasesTable {
  slug: string;
  category: string;
  role: string;
  status: string;
  origin: ColumnType<string, string | undefined, string>;
  source_id: string | null;
  name_en: string;
  name_ru: string | null;
  name_kk: string | null;
  name_kk_latn: string | null;
  /** 1 when every script of the name is confirmed (kept for export); the card reads the two below. */
  name_confirmed: ColumnType<number, Flag | undefined, Flag>;
  /** Whether names-reference.tsv confirms the Russian, and the Kazakh (Cyrillic and Latin), spelling. */
  name_ru_confirmed: ColumnType<number, Flag | undefined, Flag>;
  name_kk_confirmed: ColumnType<number, Flag | undefined, Flag>;
  summary_en: string | null;
  summary_ru: string | null;
  summary_kk: string | null;
  status_changed_at: string | null;
  status_source: string | null;
  /** When a moderator last confirmed the status as still true without changing it, and on which source. */
  status_reviewed_at: ColumnType<string | null, string | null | undefined, string | null>;
  status_review_source: ColumnType<string | null, string | null | undefined, string | null>;
  /** 0 while a new case waits for a second moderator's confirmation. */
  visible: ColumnType<number, Flag | undefined, Flag>;
  added_source: string | null;
  created_at: string;
  updated_at: string;
}

export interface CaseAliasesTable {
  case_slug: string;
  alias: string;
}

export interface CaseEventsTable {
  id: Generated<number>;
  case_slug: string;
  event_date: string;
  origin: string;
  seed_key: string | null;
  original_lang: string;
  text_en: string | null;
  text_ru: string | null;
  text_kk: string | null;
  source_url: string | null;
  update_type: ColumnType<string | null, string | null | undefined, string | null>;
  status_from: ColumnType<string | null, string | null | undefined, string | null>;
  status_to: ColumnType<string | null, string | null | undefined, string | null>;
  hearing_date: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: string;
}

export interface UsersTable {
  telegram_id: ColumnType<number, number, never>;
  language: string | null;
  role: ColumnType<string, string | undefined, string>;
  active: ColumnType<number, Flag | undefined, Flag>;
  created_at: ColumnType<string, string, never>;
}

export interface SubscriptionsTable {
  user_id: number;
  case_slug: string;
  /** "all" updates, or "status" changes only. */
  mode: ColumnType<string, string | undefined, string>;
  created_at: string;
}

export interface SubmissionsTable {
  id: Generated<number>;
  case_slug: string;
  author_id: number | null;
  text: string;
  source_url: string | null;
  lang: string;
  status: ColumnType<string, string | undefined, string>;
  created_at: string;
  decided_by: number | null;
  decided_at: string | null;
  reason: string | null;
  event_id: number | null;
  anonymous: ColumnType<number, Flag | undefined, Flag>;
  update_type: ColumnType<string | null, string | null | undefined, string | null>;
  new_status: ColumnType<string | null, string | null | undefined, string | null>;
  hearing_date: ColumnType<string | null, string | null | undefined, string | null>;
  /** When moderators may first see it (ISO): later than created_at for an anonymous one. */
  shown_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CaseRevisionsTable {
  id: Generated<number>;
  case_slug: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  source: string;
  actor_id: number;
  created_at: string;
  /** "applied", "pending" (awaiting a second moderator), "reverted" or "discarded". */
  state: string;
  confirmed_by: number | null;
  reverts: number | null;
  /** The submission whose approval makes this change (a status set by an approval). */
  submission_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number;
  action: string;
  target: string;
  detail: string | null;
  created_at: string;
}

export interface DeliveriesTable {
  id: Generated<number>;
  /** The update a follower's notice is about; null for a message to an author or to staff. */
  event_id: number | null;
  user_id: number;
  /** "update" (news of the case) or "reminder" (a hearing tomorrow). */
  kind: ColumnType<string, string | undefined, string>;
  status: ColumnType<string, string | undefined, string>;
  attempts: ColumnType<number, number | undefined, number>;
  /** Milliseconds since the epoch: compared as numbers on both dialects. */
  next_attempt_at: number;
  lease_until: number | null;
  /** Who holds the lease: a late write by a worker whose lease was taken over changes nothing. */
  lease_token: ColumnType<string | null, string | null | undefined, string | null>;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** What a message to an author or to staff is about (see DELIVERY_KINDS in store/deliveries.ts). */
  submission_id: ColumnType<number | null, number | null | undefined, number | null>;
  revision_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Small JSON details of such a message (who decided). */
  payload: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ConversationStateTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  sources: SourcesTable;
  cases: CasesTable;
  case_aliases: CaseAliasesTable;
  case_events: CaseEventsTable;
  users: UsersTable;
  meta: MetaTable;
  subscriptions: SubscriptionsTable;
  submissions: SubmissionsTable;
  audit_log: AuditLogTable;
  deliveries: DeliveriesTable;
  conversation_state: ConversationStateTable;
  outbox_workers: OutboxWorkersTable;
  send_budget: SendBudgetTable;
  case_revisions: CaseRevisionsTable;
}

/** One row per live process: its interactive traffic and whether it sends notices (see send-budget). */
export interface SendBudgetTable {
  id: string;
  seen_at: number;
  /** Interactive messages a second this process sends or has waiting. */
  interactive: number;
  serves: number;
  notices: number;
  /** 0 idle, 1 busy with notices for a while, 2 busy since just now (see budget-share). */
  busy: number;
}

export interface OutboxWorkersTable {
  id: string;
  seen_at: number;
}

export type SourceRow = Selectable<SourcesTable>;
export type CaseRow = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type CaseUpdate = Updateable<CasesTable>;
export type CaseEventRow = Selectable<CaseEventsTable>;
export type NewCaseEvent = Insertable<CaseEventsTable>;
export type UserRow = Selectable<UsersTable>;
export type SubmissionRow = Selectable<SubmissionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type RevisionRow = Selectable<CaseRevisionsTable>;
