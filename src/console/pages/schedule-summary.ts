// One line each for what an alert or broadcast sends and when, as its list row shows it.
import { monthDayLabel, WEEKDAY_LABELS } from '../builders/schedule.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a definition sends: `sms: Hello…`, `sms: en, sw translations`, `sms: survey s1`. */
export function contentSummary(definition: Json): string {
  const schedule = isObject(definition.schedule) ? definition.schedule : {};
  if (Array.isArray(schedule.events)) return `${schedule.events.length} events, each with its own content`;
  const content = isObject(definition.content) ? definition.content : {};
  const channel = typeof content.channel === 'string' ? content.channel : 'sms';
  if (typeof content.survey === 'string') return `${channel}: survey ${content.survey}`;
  if (isObject(content.translations))
    return `${channel}: ${Object.keys(content.translations).join(', ')} translations`;
  return `${channel}: ${typeof content.text === 'string' ? content.text : ''}`;
}

/** When a definition fires: `weekly on Monday, Thursday at 09:00, 3 times`. */
export function scheduleSummary(definition: Json): string {
  const s = isObject(definition.schedule) ? definition.schedule : {};
  const parts = [String(s.type ?? '').replace('_', ' ')];
  const every = typeof s.every === 'number' && s.every > 1 ? s.every : null;
  if (every !== null) parts.push(`every ${every}`);
  if (Array.isArray(s.days)) {
    const names = s.days.map((d) =>
      s.type === 'weekly' ? (WEEKDAY_LABELS[String(d)] ?? String(d)) : monthDayLabel(String(d)),
    );
    parts.push(`on ${names.join(', ')}`);
  }
  if (typeof s.time === 'string') parts.push(`at ${s.time}`);
  if (isObject(s.time_window))
    parts.push(`between ${String(s.time_window.start)} and ${String(s.time_window.end)}`);
  if (typeof s.time_property === 'string') parts.push(`at the time in ${s.time_property}`);
  if (typeof s.delay_minutes === 'number' && s.delay_minutes > 0) parts.push(`after ${s.delay_minutes} min`);
  if (typeof s.occurrences === 'number') parts.push(`${s.occurrences} times`);
  return parts.join(' ');
}
