// Pages of a project's configuration objects, as the API lists them (cursor pages by id) and
// the console shows them: alerts, broadcasts, keywords, surveys, groups, gateways and prefix
// mappings, and a summary of the schedule instances of a page of alerts or broadcasts in one
// query. Implemented in db/config-reads.ts; part of the ReadModel.
import type { KeywordRecord } from './inbound-repos.ts';
import type { ContactKind, GatewayRecord } from './records.ts';
import type { AlertRecord, BroadcastRecord, SourceKind } from './schedule-repos.ts';
import type { SurveyDefinition } from '../../domain/survey.ts';

/** One page; `nextCursor` is null on the last one. */
export interface ConfigPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** Items after `cursor` (the previous page's nextCursor) in id order, at most `limit`. */
export interface ConfigPageRequest {
  cursor?: string;
  limit: number;
}

export interface GroupRecord {
  projectId: string;
  id: string;
  kind: ContactKind;
  name: string | null;
  members: string[];
}

export interface PrefixMapping {
  prefix: string;
  gatewayId: string;
  /** The gateway's owner (null: global). */
  owner: string | null;
}

export interface InstanceSummary {
  count: number;
  /** The earliest next event, or null when none is due. */
  nextDueAt: number | null;
}

export interface ConfigReads {
  alertPage(
    projectId: string,
    page: ConfigPageRequest & { active?: boolean; caseType?: string },
  ): Promise<ConfigPage<AlertRecord>>;
  broadcastPage(
    projectId: string,
    page: ConfigPageRequest & { active?: boolean },
  ): Promise<ConfigPage<BroadcastRecord>>;
  /** By keyword, case-insensitively (the cursor is the last keyword as written). */
  keywordPage(projectId: string, page: ConfigPageRequest): Promise<ConfigPage<KeywordRecord>>;
  surveyPage(projectId: string, page: ConfigPageRequest): Promise<ConfigPage<SurveyDefinition>>;
  groupPage(
    projectId: string,
    page: ConfigPageRequest & { kind?: ContactKind },
  ): Promise<ConfigPage<GroupRecord>>;
  /** Gateways of one owner (null: the global ones). */
  gatewayPage(
    owner: string | null,
    page: ConfigPageRequest & { type?: string },
  ): Promise<ConfigPage<GatewayRecord>>;
  /** Prefix mappings of one owner's gateways (null: the global ones), by prefix. */
  prefixPage(owner: string | null, page: ConfigPageRequest): Promise<ConfigPage<PrefixMapping>>;
  /** How many instances each source has and its next event. */
  instanceSummaries(
    kind: SourceKind,
    projectId: string,
    sourceIds: readonly string[],
  ): Promise<Map<string, InstanceSummary>>;
}
