// Projects, cases and mobile workers.
import {
  refKey,
  type CaseRecord,
  type ContactRef,
  type ProjectRecord,
  type WorkerRecord,
} from '../../app/ports/records.ts';
import { type Repos } from '../../app/ports/store.ts';
import type { ProjectSettings } from '../../domain/project-settings.ts';
import type { CaseIndex } from '../../domain/case-index.ts';
import type { Selectable } from 'kysely';
import { inChunks, insertChunks } from '../bulk.ts';
import type { Dialect, Executor } from '../dialect.ts';
import type { Database } from '../schema.ts';
import { flag, parseJson } from '../json.ts';

export function projectRepo(db: Executor): Repos['projects'] {
  return {
    async get(id) {
      const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? { id: row.id, settings: parseJson<ProjectSettings>(row.settings, {}) } : null;
    },
    async put(project: ProjectRecord, now) {
      const settings = JSON.stringify(project.settings);
      await db
        .insertInto('projects')
        .values({ id: project.id, settings, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ settings, updated_at: now }))
        .execute();
    },
  };
}

export function toCase(row: Selectable<Database['cases']>): CaseRecord {
  return {
    projectId: row.project_id,
    id: row.id,
    type: row.type,
    name: row.name,
    ownerId: row.owner_id,
    closed: row.closed === 1,
    deleted: row.deleted === 1,
    properties: parseJson<Record<string, string>>(row.properties, {}),
    serverModifiedOn: row.server_modified_on,
    indices: parseJson<Record<string, CaseIndex>>(row.indices, {}),
  };
}

export function toWorker(row: Selectable<Database['mobile_workers']>): WorkerRecord {
  return {
    projectId: row.project_id,
    id: row.id,
    username: row.username,
    name: row.name,
    phoneNumbers: parseJson<string[]>(row.phone_numbers, []),
    email: row.email,
    language: row.language,
    timeZone: row.time_zone,
    active: row.active === 1,
    firstName: row.first_name,
    lastName: row.last_name,
  };
}

function caseValues(record: CaseRecord, now: number) {
  return {
    type: record.type,
    name: record.name,
    owner_id: record.ownerId,
    closed: flag(record.closed),
    deleted: flag(record.deleted),
    properties: JSON.stringify(record.properties),
    server_modified_on: record.serverModifiedOn,
    indices: JSON.stringify(record.indices ?? {}),
    parent_id: record.indices?.parent?.case_id ?? null,
    updated_at: now,
  };
}

/** What saving a case that exists changes: every column but its key and creation. */
const CASE_UPDATE = [
  'type',
  'name',
  'owner_id',
  'closed',
  'deleted',
  'properties',
  'server_modified_on',
  'indices',
  'parent_id',
  'updated_at',
];

export function caseRepo(db: Executor, dialect: Dialect): Repos['cases'] {
  return {
    async get(projectId, id) {
      const row = await db
        .selectFrom('cases')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toCase(row) : null;
    },
    async getMany(projectId, ids) {
      const rows = await inChunks(ids, (chunk) =>
        db
          .selectFrom('cases')
          .selectAll()
          .where('project_id', '=', projectId)
          .where('id', 'in', chunk)
          .execute(),
      );
      return rows.map(toCase);
    },
    async put(record: CaseRecord, now) {
      const values = caseValues(record, now);
      await db
        .insertInto('cases')
        .values({ project_id: record.projectId, id: record.id, created_at: now, ...values })
        .onConflict((oc) => oc.columns(['project_id', 'id']).doUpdateSet(values))
        .execute();
    },
    async children(projectId, parentId) {
      const rows = await db
        .selectFrom('cases')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('parent_id', '=', parentId)
        .orderBy('id')
        .execute();
      return rows.map(toCase);
    },
    async putMany(records, now) {
      await insertChunks(
        db,
        dialect,
        'cases',
        records,
        (record) => ({
          project_id: record.projectId,
          id: record.id,
          created_at: now,
          ...caseValues(record, now),
        }),
        { upsert: { key: ['project_id', 'id'], update: CASE_UPDATE } },
      );
    },
  };
}

export function workerRepo(db: Executor): Repos['workers'] {
  return {
    async get(projectId, id) {
      const row = await db
        .selectFrom('mobile_workers')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toWorker(row) : null;
    },
    async getMany(projectId, ids) {
      const rows = await inChunks(ids, (chunk) =>
        db
          .selectFrom('mobile_workers')
          .selectAll()
          .where('project_id', '=', projectId)
          .where('id', 'in', chunk)
          .execute(),
      );
      return rows.map(toWorker);
    },
    async put(record: WorkerRecord, now) {
      const values = {
        username: record.username,
        name: record.name,
        phone_numbers: JSON.stringify(record.phoneNumbers),
        email: record.email,
        language: record.language,
        time_zone: record.timeZone,
        active: flag(record.active),
        first_name: record.firstName ?? null,
        last_name: record.lastName ?? null,
        updated_at: now,
      };
      await db
        .insertInto('mobile_workers')
        .values({ project_id: record.projectId, id: record.id, created_at: now, ...values })
        .onConflict((oc) => oc.columns(['project_id', 'id']).doUpdateSet(values))
        .execute();
    },
  };
}

/** Which of these contacts are active: open, undeleted cases and active mobile workers. */
export async function activeContacts(db: Executor, refs: readonly ContactRef[]): Promise<Set<string>> {
  const active = new Set<string>();
  const cases = refs.filter((r) => r.kind === 'case');
  const workers = refs.filter((r) => r.kind === 'mobile_worker');
  if (cases.length > 0) {
    const rows = await db
      .selectFrom('cases')
      .select(['project_id', 'id'])
      .where((eb) =>
        eb.or(cases.map((r) => eb.and([eb('project_id', '=', r.projectId), eb('id', '=', r.id)]))),
      )
      .where('closed', '=', 0)
      .where('deleted', '=', 0)
      .execute();
    for (const row of rows) active.add(refKey({ projectId: row.project_id, kind: 'case', id: row.id }));
  }
  if (workers.length > 0) {
    const rows = await db
      .selectFrom('mobile_workers')
      .select(['project_id', 'id'])
      .where((eb) =>
        eb.or(workers.map((r) => eb.and([eb('project_id', '=', r.projectId), eb('id', '=', r.id)]))),
      )
      .where('active', '=', 1)
      .execute();
    for (const row of rows)
      active.add(refKey({ projectId: row.project_id, kind: 'mobile_worker', id: row.id }));
  }
  return active;
}

export function groupRepo(db: Executor): Repos['groups'] {
  return {
    async get(projectId, id) {
      const group = await db
        .selectFrom('contact_groups')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!group) return null;
      const members = await db
        .selectFrom('contact_group_members')
        .select('member_id')
        .where('project_id', '=', projectId)
        .where('group_id', '=', id)
        .orderBy('member_id')
        .execute();
      return {
        kind: group.kind as 'case' | 'mobile_worker',
        name: group.name,
        members: members.map((m) => m.member_id),
      };
    },
    async put(group, now) {
      await db
        .insertInto('contact_groups')
        .values({
          project_id: group.projectId,
          id: group.id,
          kind: group.kind,
          name: group.name,
          created_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['project_id', 'id']).doUpdateSet({ kind: group.kind, name: group.name }),
        )
        .execute();
      await db
        .deleteFrom('contact_group_members')
        .where('project_id', '=', group.projectId)
        .where('group_id', '=', group.id)
        .execute();
      for (let i = 0; i < group.members.length; i += 500) {
        await db
          .insertInto('contact_group_members')
          .values(
            group.members
              .slice(i, i + 500)
              .map((member_id) => ({ project_id: group.projectId, group_id: group.id, member_id })),
          )
          .execute();
      }
    },
  };
}
