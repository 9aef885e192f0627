// What uses a configuration object (SPEC 7: deleting one that something else uses answers 409
// naming the user). Pure rules over the stored definitions: a survey is used by the keywords
// that start it and the alerts and broadcasts whose content (or whose custom schedule events'
// content) starts it; a group by the broadcasts that name it as a recipient.

/** One user of an object: what kind of object it is and its id. */
export interface UsedBy {
  kind: string;
  id: string;
}

interface Named {
  id: string;
  definition: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every content of a definition: its own, and each custom schedule event's. */
function contents(definition: unknown): Record<string, unknown>[] {
  if (!isObject(definition)) return [];
  const own = isObject(definition.content) ? [definition.content] : [];
  const schedule = definition.schedule;
  const events = isObject(schedule) && Array.isArray(schedule.events) ? schedule.events : [];
  return [
    ...own,
    ...events.flatMap((event) => (isObject(event) && isObject(event.content) ? [event.content] : [])),
  ];
}

export function surveyUsers(
  surveyId: string,
  uses: {
    alerts: readonly Named[];
    broadcasts: readonly Named[];
    keywords: readonly { keyword: string; definition: unknown }[];
  },
): UsedBy[] {
  const starts = (definition: unknown) => contents(definition).some((content) => content.survey === surveyId);
  return [
    ...uses.keywords
      .filter((k) => isObject(k.definition) && k.definition.survey === surveyId)
      .map((k) => ({ kind: 'keyword', id: k.keyword })),
    ...uses.alerts.filter((a) => starts(a.definition)).map((a) => ({ kind: 'alert', id: a.id })),
    ...uses.broadcasts.filter((b) => starts(b.definition)).map((b) => ({ kind: 'broadcast', id: b.id })),
  ];
}

export function groupUsers(groupId: string, broadcasts: readonly Named[]): UsedBy[] {
  return broadcasts
    .filter((b) => {
      const recipients = isObject(b.definition) ? b.definition.recipients : undefined;
      return Array.isArray(recipients) && recipients.some((to) => isObject(to) && to.group === groupId);
    })
    .map((b) => ({ kind: 'broadcast', id: b.id }));
}

/** The users in words for an error message: `alert 'a1', keyword 'VISIT'` and how many more. */
export function describeUsers(users: readonly UsedBy[], shown = 5): string {
  const named = users.slice(0, shown).map((u) => `${u.kind.replace('_', ' ')} '${u.id}'`);
  const more = users.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}
