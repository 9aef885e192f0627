// Who uses an object before it is deleted (app/ports/lifecycle-repos.ts). JSON columns are text on
// both dialects: a LIKE on the text narrows the rows the same way on each, and the JSON is then
// read here, so no dialect-specific JSON operator is needed. These run only when an operator
// deletes something.
import type { LifecycleRepos } from '../../app/ports/lifecycle-repos.ts';
import type { ContactRef } from '../../app/ports/records.ts';
import type { Executor } from '../dialect.ts';
import { parseJson } from '../json.ts';
import { toKeyword } from './inbound.ts';
import { toAlert, toBroadcast } from './schedules.ts';

/** Cases read per round while looking for those that name a gateway. */
const SCAN_PAGE = 1000;

export function usageRepo(db: Executor): LifecycleRepos['usage'] {
  return {
    async definitions(projectId) {
      const [alerts, broadcasts, keywords] = await Promise.all([
        db.selectFrom('alerts').selectAll().where('project_id', '=', projectId).orderBy('id').execute(),
        db.selectFrom('broadcasts').selectAll().where('project_id', '=', projectId).orderBy('id').execute(),
        db
          .selectFrom('keywords')
          .selectAll()
          .where('project_id', '=', projectId)
          .orderBy('keyword_key')
          .execute(),
      ]);
      return {
        alerts: alerts.map(toAlert),
        broadcasts: broadcasts.map(toBroadcast),
        keywords: keywords.map(toKeyword),
      };
    },

    async casesNamingGateway(name, projects, limit) {
      if (projects !== null && projects.length === 0) return [];
      const wanted = name.trim().toUpperCase();
      const found: ContactRef[] = [];
      let after: { project: string; id: string } | null = null;
      for (;;) {
        let query = db
          .selectFrom('cases')
          .select(['project_id', 'id', 'properties'])
          .where('closed', '=', 0)
          .where('deleted', '=', 0)
          .where('properties', 'like', '%contact_backend_id%')
          .orderBy('project_id')
          .orderBy('id')
          .limit(SCAN_PAGE);
        if (projects !== null) query = query.where('project_id', 'in', [...projects]);
        if (after !== null) {
          const { project, id } = after;
          query = query.where((eb) =>
            eb.or([
              eb('project_id', '>', project),
              eb.and([eb('project_id', '=', project), eb('id', '>', id)]),
            ]),
          );
        }
        const rows = await query.execute();
        for (const row of rows) {
          const backend = parseJson<Record<string, unknown>>(row.properties, {}).contact_backend_id;
          if (typeof backend === 'string' && backend.trim().toUpperCase() === wanted) {
            found.push({ projectId: row.project_id, kind: 'case', id: row.id });
            if (found.length >= limit) return found;
          }
        }
        const last = rows.at(-1);
        if (rows.length < SCAN_PAGE || !last) return found;
        after = { project: last.project_id, id: last.id };
      }
    },

    async casesOwnedBy(projectId, ownerId, limit) {
      const rows = await db
        .selectFrom('cases')
        .select('id')
        .where('project_id', '=', projectId)
        .where('owner_id', '=', ownerId)
        .where('closed', '=', 0)
        .where('deleted', '=', 0)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((row) => row.id);
    },

    async gatewaysFallingBackTo(id) {
      const rows = await db
        .selectFrom('gateways')
        .select(['id', 'config'])
        .where('config', 'like', '%sms_fallback%')
        .orderBy('id')
        .execute();
      return rows
        .filter((row) => parseJson<Record<string, unknown>>(row.config, {}).sms_fallback === id)
        .map((row) => row.id);
    },
  };
}
