// `caseline preview`: what an alert or broadcast would send in the next days.
import type { Deps } from '../app/ports/deps.ts';
import { previewSchedule } from '../app/scheduling/preview.ts';

export async function printPreview(
  deps: Deps,
  projectId: string,
  sourceId: string,
  days: number,
  json: boolean,
): Promise<string> {
  const lines = await previewSchedule(deps, projectId, sourceId, days);
  if (json) return JSON.stringify(lines, null, 2);
  if (lines.length === 0) return `nothing to send in the next ${days} day(s)`;
  return lines
    .map(
      (line) =>
        `${line.at}  ${line.local} ${line.zone}  ${line.recipient}  ${line.text ?? `not sent: ${line.error ?? ''}`}`,
    )
    .join('\n');
}
