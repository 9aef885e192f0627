// What alerts and broadcasts share in the API: a summary of their schedule instances, the
// preview of what they would send in the coming days (app/scheduling/preview.ts), and delete.
import Type from 'typebox';
import { DEFAULT_PREVIEW_DAYS, MAX_PREVIEW_DAYS, previewSchedule } from '../../app/scheduling/preview.ts';
import type { InstanceSummary } from '../../app/ports/config-reads.ts';
import type { SourceKind } from '../../app/ports/schedule-repos.ts';
import { deleteSchedule } from '../../app/scheduling/removal.ts';
import {
  bearer,
  errors,
  isoOrNull,
  NullableInstant,
  NullableString,
  ProjectItemParams,
  type Api,
  type ApiDeps,
} from '../common.ts';

/** The instance fields of an alert or broadcast view. */
export const instanceFields = {
  instance_count: Type.Integer({
    minimum: 0,
    description: 'schedule instances: one per matching case (alert), one per recipient time zone (broadcast)',
  }),
  /** The earliest next event over the instances; null when none is due any more. */
  next_due_at: NullableInstant,
};

/** The instances of one alert or broadcast: how many, and the earliest next event. */
export async function instanceSummary(
  deps: ApiDeps,
  kind: SourceKind,
  project: string,
  id: string,
): Promise<InstanceSummary | undefined> {
  return (await deps.readModel.instanceSummaries(kind, project, [id])).get(id);
}

/** The instance fields of a view; no summary: no instances. */
export const summaryFields = (summary: InstanceSummary | undefined) => ({
  instance_count: summary?.count ?? 0,
  next_due_at: isoOrNull(summary?.nextDueAt ?? null),
});

export const PreviewQuery = Type.Object(
  {
    days: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_PREVIEW_DAYS,
        description: `days ahead from now (default ${DEFAULT_PREVIEW_DAYS}, at most ${MAX_PREVIEW_DAYS})`,
      }),
    ),
  },
  { additionalProperties: false },
);

const PreviewLine = Type.Object(
  {
    at: Type.String({ format: 'date-time', description: 'the UTC instant' }),
    local: Type.String({ description: "the recipient's local time, YYYY-MM-DD HH:mm" }),
    zone: Type.String(),
    recipient: Type.String({ description: 'case:ID, mobile_worker:ID or phone:NUMBER' }),
    /** The text it would send; null when an error would stop it. */
    text: NullableString,
    /** The error code that would stop it (SPEC 6), or null. */
    error: NullableString,
  },
  { additionalProperties: false },
);

export const PreviewView = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    lines: Type.Array(PreviewLine),
  },
  {
    additionalProperties: false,
    description: 'What would be sent from now to now + days, in time order; nothing is queued',
  },
);

const DAY_MS = 86_400_000;

export async function preview(deps: ApiDeps, project: string, id: string, days: number | undefined) {
  const span = days ?? DEFAULT_PREVIEW_DAYS;
  const now = deps.clock.now();
  const lines = await previewSchedule(deps, project, id, span);
  return { from: new Date(now).toISOString(), to: new Date(now + span * DAY_MS).toISOString(), lines };
}

/** DELETE of an alert or a broadcast: its instances go with it, what it sent stays. */
export function deleteScheduleRoute(
  app: Api,
  deps: ApiDeps,
  kind: SourceKind,
  load: (deps: ApiDeps, project: string, id: string) => Promise<{ projectId: string; id: string }>,
): void {
  app.delete(
    `/projects/:project/${kind}s/:id`,
    {
      config: { auth: 'project' },
      schema: {
        summary: `Delete ${kind === 'alert' ? 'an alert' : 'a broadcast'}`,
        description: 'Its schedule instances go with it; what it sent stays in the message log.',
        tags: [`${kind}s`],
        security: bearer,
        params: ProjectItemParams,
        response: { 204: Type.Null(), ...errors() },
      },
    },
    async (request, reply) => {
      const source = await load(deps, request.params.project, request.params.id);
      await deleteSchedule(deps, kind, source.projectId, source.id);
      return reply.code(204).send(null);
    },
  );
}
