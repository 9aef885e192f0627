// Project keywords in the inbound pipeline (SPEC 5 step 4, 5.2): finding the keyword a text
// starts with, and running it — a reply rendered for the sender, a survey, a notice to the
// case's owner, or a structured SMS that updates the sender's case.
import { firstWord, keywordKey } from '../../domain/commands.ts';
import { chooseTranslation } from '../../domain/language.ts';
import { matchesKeyword, parseStructured } from '../../domain/structured.ts';
import { renderTemplate } from '../../domain/template.ts';
import { applyCaseUpdate } from '../contacts/cases.ts';
import { loadContact, type ContactView } from '../contacts/contacts.ts';
import type { KeywordRecord } from '../ports/inbound-repos.ts';
import type { PhoneEntry, ProjectRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import type { EffectiveSettings } from '../projects/settings.ts';
import { systemText } from '../projects/texts.ts';
import { queueForRecipient } from '../sending/outbox.ts';
import { queueReply } from '../sending/replies.ts';
import { startSurvey, type SurveyTarget } from '../surveys/surveys.ts';

/** The two-way owner that texted, as the keyword steps see it. */
export interface Sender {
  entry: PhoneEntry;
  project: ProjectRecord;
  settings: EffectiveSettings;
  contact: ContactView | null;
  /** The project's keywords by key (app/config-cache.ts). */
  keywords: ReadonlyMap<string, KeywordRecord>;
  reply: SurveyTarget;
}

/**
 * The keyword the text starts with, when the sender may use it: its first word, or for a
 * structured keyword with a delimiter its first part (`REG,Amani` with `,`; then `REG Amani,…`
 * is not `REG`). A structured keyword is no keyword for a sender that is not a case.
 */
export function findKeyword(sender: Sender, text: string): KeywordRecord | null {
  const word = firstWord(text);
  // The first word, and the leading letters and digits: a keyword before its delimiter.
  const lead = /^[\p{L}\p{N}_]+/u.exec(text.trim())?.[0] ?? '';
  for (const candidate of new Set([word, lead])) {
    if (candidate === '') continue;
    const keyword = sender.keywords.get(keywordKey(candidate));
    if (!keyword || !allowed(sender, keyword)) continue;
    const definition = keyword.definition;
    const matches =
      definition.action === 'structured'
        ? matchesKeyword(text, keyword.keyword, definition.delimiter)
        : word === keywordKey(keyword.keyword);
    if (matches) return keyword;
  }
  return null;
}

function allowed(sender: Sender, keyword: KeywordRecord): boolean {
  const allow = keyword.definition.allow ?? 'all';
  const kind = sender.entry.contactKind;
  if (allow === 'cases' && kind !== 'case') return false;
  if (allow === 'workers' && kind !== 'mobile_worker') return false;
  return keyword.definition.action !== 'structured' || kind === 'case';
}

export async function runKeyword(
  tx: Repos,
  sender: Sender,
  keyword: KeywordRecord,
  text: string,
  now: number,
): Promise<void> {
  const definition = keyword.definition;
  const action = definition.action ?? 'reply';
  if (action === 'structured') {
    await runStructured(tx, sender, keyword, text, now);
    return;
  }
  await sendKeywordReply(tx, sender, keyword, sender.contact, now);
  if (action === 'survey' && definition.survey)
    await startSurvey(tx, sender.project, definition.survey, sender.reply, now);
  if (action === 'notify_owner' && definition.notify_text !== undefined)
    await notifyOwner(tx, sender, keyword, now);
}

/** The keyword's reply, if any: a template rendered for the sender (SPEC 3.5). */
async function sendKeywordReply(
  tx: Repos,
  sender: Sender,
  keyword: KeywordRecord,
  contact: ContactView | null,
  now: number,
): Promise<void> {
  const reply = keyword.definition.reply;
  if (!reply) return;
  const { settings } = sender;
  const chain = {
    contactLanguage: sender.reply.language,
    messageDefault: null,
    projectDefault: settings.defaultLanguage,
    fallback: settings.languageFallback,
  };
  const chosen = chooseTranslation(reply.translations ?? { '*': reply.text ?? '' }, chain);
  if (!chosen) return;
  const rendered = renderTemplate(
    chosen.text,
    contact?.template ?? { case: null, recipient: { name: null, phoneNumber: sender.reply.number } },
  );
  // A template that cannot be rendered goes out as written rather than leaving the sender unanswered.
  await queueReply(tx, sender.reply, rendered.ok ? rendered.text : chosen.text, now);
}

/**
 * SPEC 5.2: the parts checked in order; the first bad one is answered with its field's error and
 * recorded as COULD_NOT_PROCESS_STRUCTURED_SMS, writing nothing; otherwise every value is written
 * to the sender's case in one upsert (alerts re-evaluate), then the reply rendered with it.
 */
async function runStructured(
  tx: Repos,
  sender: Sender,
  keyword: KeywordRecord,
  text: string,
  now: number,
): Promise<void> {
  const { project, settings, reply } = sender;
  const definition = keyword.definition;
  const result = parseStructured(text, {
    keyword: keyword.keyword,
    fields: definition.fields ?? [],
    delimiter: definition.delimiter,
  });
  if (!result.ok) {
    const error = systemText(settings, result.error, reply.language);
    const answer = systemText(settings, 'field_error', reply.language, { field: result.field, error });
    const eventId = await tx.events.create(
      {
        projectId: project.id,
        source: 'keyword',
        sourceId: keyword.keyword,
        channel: 'sms',
        content: { text: answer },
      },
      now,
    );
    await tx.events.addSubEvent(
      {
        eventId,
        projectId: project.id,
        recipientKind: reply.contact.kind,
        recipientId: reply.contact.id,
        status: 'error',
        errorCode: 'COULD_NOT_PROCESS_STRUCTURED_SMS',
        errorText: `${result.field}: ${error}`,
      },
      now,
    );
    await tx.events.refreshStatus(eventId, now);
    await queueReply(tx, reply, answer, now);
    return;
  }
  await applyCaseUpdate(
    tx,
    project,
    {
      project: project.id,
      id: reply.contact.id,
      properties: result.properties,
      server_modified_on: new Date(now).toISOString(),
    },
    now,
  );
  const updated = await loadContact(tx, project, 'case', reply.contact.id);
  await sendKeywordReply(tx, sender, keyword, updated, now);
}

/** Sends the keyword's notice to the owner (a mobile worker) of the case that texted. */
async function notifyOwner(tx: Repos, sender: Sender, keyword: KeywordRecord, now: number): Promise<void> {
  const record = sender.contact?.record;
  const ownerId = record?.kind === 'case' ? record.case.ownerId : null;
  const notify = keyword.definition.notify_text;
  if (!ownerId || notify === undefined) return;
  const content = typeof notify === 'string' ? { text: notify } : { translations: notify };
  const eventId = await tx.events.create(
    { projectId: sender.project.id, source: 'keyword', sourceId: keyword.keyword, channel: 'sms', content },
    now,
  );
  const gateways = await tx.gateways.visibleTo(sender.project.id);
  await queueForRecipient(
    tx,
    {
      project: sender.project,
      eventId,
      channel: 'sms',
      content,
      defaultLanguage: null,
      gateways,
      caseContext: sender.contact?.template.case ?? null,
    },
    { mobile_worker: ownerId },
    now,
  );
  await tx.events.refreshStatus(eventId, now);
}
