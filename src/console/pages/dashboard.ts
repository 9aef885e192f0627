// The dashboard: messages by status per day (a stacked bar chart and the same as a table),
// today's SMS against the daily limit, why queued messages wait, and recent errors by code.
import { dashboardOf, STATUSES } from '../read-models/dashboard.ts';
import type { ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { jsonForScript, localTime, render } from '../render.ts';

export const dashboardPage: ConsolePage = (app, deps) => {
  app.get('/', async (request, reply) => {
    const project = projectOf(request);
    const dashboard = await dashboardOf(deps, project);
    const chart = {
      days: dashboard.days,
      series: STATUSES.map((status) => ({ status, counts: dashboard.volumes[status] })),
    };
    return render(deps.readModel, request, reply, 'dashboard', {
      title: 'Dashboard',
      nav: 'dashboard',
      d: dashboard,
      statuses: STATUSES,
      chartJson: jsonForScript(chart),
      when: (ms: number) => localTime(ms, dashboard.zone),
    });
  });
};
