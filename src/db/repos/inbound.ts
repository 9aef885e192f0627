// Keywords, surveys, survey sessions, and inbound messages waiting for the pipeline.
import { sql, type Selectable } from 'kysely';
import type {
  InboundRepos,
  KeywordRecord,
  SessionRecord,
  SessionStatus,
} from '../../app/ports/inbound-repos.ts';
import type { ContactKind } from '../../app/ports/records.ts';
import { keywordKey } from '../../domain/commands.ts';
import type { KeywordBody } from '../../domain/definitions.ts';
import type { SurveyDefinition } from '../../domain/survey.ts';
import type { Executor } from '../dialect.ts';
import { parseJson, parseJsonOr } from '../json.ts';
import type { Database } from '../schema.ts';
import { toMessage } from './messages.ts';

function toSession(row: Selectable<Database['survey_sessions']>): SessionRecord {
  return {
    id: row.id,
    status: row.status as SessionStatus,
    startedAt: row.created_at,
    endedAt: row.ended_at,
    projectId: row.project_id,
    surveyId: row.survey_id,
    contact: { kind: row.contact_kind as ContactKind, id: row.contact_id },
    number: row.number,
    gatewayId: row.gateway_id,
    state: parseJsonOr<SessionRecord['state']>(row.state, {
      index: 0,
      answers: {},
      remindersSent: 0,
      lastPromptAt: 0,
    }),
    expiresAt: row.expires_at,
    nextReminderAt: row.next_reminder_at,
  };
}

export function toKeyword(row: Selectable<Database['keywords']>): KeywordRecord {
  return {
    projectId: row.project_id,
    keyword: row.keyword,
    definition: parseJson<KeywordBody>(row.definition, {} as KeywordBody),
  };
}

export function inboundRepos(db: Executor): InboundRepos {
  return {
    keywords: {
      async get(projectId, keyword) {
        const row = await db
          .selectFrom('keywords')
          .selectAll()
          .where('project_id', '=', projectId)
          .where('keyword_key', '=', keywordKey(keyword))
          .executeTakeFirst();
        return row ? toKeyword(row) : null;
      },
      async all(projectId) {
        const rows = await db
          .selectFrom('keywords')
          .selectAll()
          .where('project_id', '=', projectId)
          .orderBy('keyword_key')
          .execute();
        return rows.map(toKeyword);
      },
      async put(record, now) {
        const values = {
          keyword: record.keyword,
          definition: JSON.stringify(record.definition),
          updated_at: now,
        };
        await db
          .insertInto('keywords')
          .values({
            project_id: record.projectId,
            keyword_key: keywordKey(record.keyword),
            created_at: now,
            ...values,
          })
          .onConflict((oc) => oc.columns(['project_id', 'keyword_key']).doUpdateSet(values))
          .execute();
      },
    },
    surveys: {
      async get(projectId, id) {
        const row = await db
          .selectFrom('surveys')
          .selectAll()
          .where('project_id', '=', projectId)
          .where('id', '=', id)
          .executeTakeFirst();
        return row ? parseJson<SurveyDefinition>(row.definition, { id, questions: [] }) : null;
      },
      async put(projectId, definition, now) {
        const values = { definition: JSON.stringify(definition), updated_at: now };
        await db
          .insertInto('surveys')
          .values({ project_id: projectId, id: definition.id, created_at: now, ...values })
          .onConflict((oc) => oc.columns(['project_id', 'id']).doUpdateSet(values))
          .execute();
      },
    },
    sessions: {
      async openFor(projectId, kind, id) {
        const row = await db
          .selectFrom('survey_sessions')
          .selectAll()
          .where('project_id', '=', projectId)
          .where('contact_kind', '=', kind)
          .where('contact_id', '=', id)
          .where('open', '=', 1)
          .executeTakeFirst();
        return row ? toSession(row) : null;
      },
      async latest(projectId, contact, surveyId) {
        const row = await db
          .selectFrom('survey_sessions')
          .selectAll()
          .where('project_id', '=', projectId)
          .where('contact_kind', '=', contact.kind)
          .where('contact_id', '=', contact.id)
          .where('survey_id', '=', surveyId)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        return row ? toSession(row) : null;
      },
      async list(query) {
        let select = db.selectFrom('survey_sessions').selectAll().where('project_id', '=', query.projectId);
        if (query.surveyId !== undefined) select = select.where('survey_id', '=', query.surveyId);
        if (query.contact !== undefined)
          select = select
            .where('contact_kind', '=', query.contact.kind)
            .where('contact_id', '=', query.contact.id);
        if (query.after !== undefined) select = select.where('id', '>', query.after);
        const rows = await select.orderBy('id').limit(query.limit).execute();
        return rows.map(toSession);
      },
      async insert(session, now) {
        const open = session.status === 'open';
        const row = await db
          .insertInto('survey_sessions')
          .values({
            status: session.status,
            ended_at: open ? null : now,
            project_id: session.projectId,
            survey_id: session.surveyId,
            contact_kind: session.contact.kind,
            contact_id: session.contact.id,
            number: session.number,
            gateway_id: session.gatewayId,
            state: JSON.stringify(session.state),
            open: open ? 1 : 0,
            expires_at: session.expiresAt,
            next_reminder_at: session.nextReminderAt,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id;
      },
      async update(id, patch, now) {
        await db
          .updateTable('survey_sessions')
          .set({
            ...(patch.state !== undefined ? { state: JSON.stringify(patch.state) } : {}),
            ...(patch.expiresAt !== undefined ? { expires_at: patch.expiresAt } : {}),
            ...(patch.nextReminderAt !== undefined ? { next_reminder_at: patch.nextReminderAt } : {}),
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
      },
      async end(id, status, now) {
        await db
          .updateTable('survey_sessions')
          .set({ open: 0, status, ended_at: now, next_reminder_at: null, updated_at: now })
          .where('id', '=', id)
          .where('open', '=', 1)
          .execute();
      },
      async due(now, limit) {
        const rows = await db
          .selectFrom('survey_sessions')
          .selectAll()
          .where('open', '=', 1)
          .where((eb) => eb.or([eb('expires_at', '<=', now), eb('next_reminder_at', '<=', now)]))
          .orderBy('id')
          .limit(limit)
          .execute();
        return rows.map(toSession);
      },
      async nextDueAt() {
        const row = await db
          .selectFrom('survey_sessions')
          .select((eb) => [
            eb.fn.min('expires_at').as('expiry'),
            eb.fn.min('next_reminder_at').as('reminder'),
          ])
          .where('open', '=', 1)
          .executeTakeFirst();
        const due = [row?.expiry ?? null, row?.reminder ?? null].filter((t): t is number => t !== null);
        return due.length > 0 ? Math.min(...due) : null;
      },
    },
    inbound: {
      async pending(number) {
        const rows = await db
          .selectFrom('messages')
          .selectAll()
          .where('phone', '=', number)
          // A literal, not a parameter: the planners use the partial index messages_inbound_waiting
          // only when the query's own text implies its condition.
          .where('direction', '=', sql.lit('in'))
          .where('due_at', 'is not', null)
          .orderBy('id')
          .execute();
        return rows.map(toMessage);
      },
      async pendingSenders(now, limit) {
        const rows = await db
          .selectFrom('messages')
          .select('phone')
          .distinct()
          .where('direction', '=', 'in')
          .where('due_at', '<=', now)
          .limit(limit)
          .execute();
        return rows.map((row) => row.phone ?? '');
      },
      async handled(id, result, now) {
        await db
          .updateTable('messages')
          .set({
            outcome: result.outcome,
            project_id: result.projectId,
            contact_kind: result.contact?.kind ?? null,
            contact_id: result.contact?.id ?? null,
            ...(result.errorText !== undefined ? { error_text: result.errorText } : {}),
            due_at: null,
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
      },
    },
  };
}
