// The inbound pipeline (SPEC 5). An arriving SMS is first stored (so nothing is lost), then
// every waiting message of that sender is taken through the steps in arrival order, under a
// lock on the sender's number: owner look-up → opt keywords → verification → `#` commands →
// an open survey or a keyword → default reply → self-registration → unrecognised.
// Step 1 is scoped to the projects that may use the receiving gateway (domain/inbound-scope.ts):
// a number owned in any other project is unknown here, its opt state is left alone, and the
// message and its replies belong to the gateway's project (a global gateway's: to none).
import { parseCommand, parseJoin } from '../../domain/commands.ts';
import { classifyOptKeyword, firstOptIn, firstOptOut } from '../../domain/opt-keywords.ts';
import { mayUseGateway, scopedOwner, senderCountry } from '../../domain/inbound-scope.ts';
import { checkNumber, cleanNumber } from '../../domain/phone.ts';
import { isVerificationReply } from '../../domain/registry.ts';
import { loadContact } from '../contacts/contacts.ts';
import type { Deps } from '../ports/deps.ts';
import { runDueItem } from '../due-item.ts';
import type { ContactKind, GatewayRecord, MessageRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { register } from './registration.ts';
import { numberKey, ownerOf } from '../registry/registry.ts';
import { queueReply, type ReplyTarget } from '../sending/replies.ts';
import { effectiveSettings } from '../projects/settings.ts';
import { answerSurvey, repeatCurrent } from '../surveys/surveys.ts';
import { findKeyword, runKeyword, type Sender } from './keyword-actions.ts';
import { systemText } from '../projects/texts.ts';
import { InputError } from '../../lib/input.ts';
import { currentConfig, type ConfigView } from '../config-cache.ts';

export interface InboundInput {
  gateway: string;
  from: string;
  text: string;
  /** The provider's id of the inbound message, when it gives one. */
  message_id?: string;
}

export type InboundOutcome =
  | 'opted_out'
  | 'opted_in'
  | 'opt_frozen'
  | 'opt_ignored'
  | 'verified'
  | 'awaiting_verification'
  | 'command'
  | 'survey_answer'
  | 'keyword'
  | 'default_reply'
  | 'registered'
  | 'unhandled'
  | 'unrecognised';

export interface InboundResult {
  messageId: number;
  outcome: InboundOutcome;
  projectId: string | null;
}

/**
 * Stores an arriving SMS and runs the pipeline for its sender. Both happen in one transaction
 * when all goes well; if the pipeline fails, that transaction is undone and the SMS is stored
 * on its own first, so it is never lost: its processing is then retried as due work.
 * `gatewayRecord`: the gateway already read by the caller (the webhook's check), if any;
 * `configView`: the configuration that caller checked (one version check a request), if any.
 */
export async function handleInbound(
  deps: Deps,
  input: InboundInput,
  gatewayRecord?: GatewayRecord,
  configView?: ConfigView,
): Promise<InboundResult> {
  const now = deps.clock.now();
  const config = configView ?? (await currentConfig(deps.store));
  const gateway =
    gatewayRecord?.id === input.gateway ? gatewayRecord : await config.gateway(deps.store, input.gateway);
  if (!gateway) throw new InputError('gateway', `no gateway '${input.gateway}'`);
  const from = await senderNumber(deps.store, config, gateway, input.from);
  const store = async (tx: Repos): Promise<MessageRecord> => {
    // Under the sender's lock, so ids (the processing order) follow the order of arrival.
    await tx.lock([numberKey(from)]);
    return tx.messages.insert(
      {
        projectId: null,
        eventId: null,
        subEventId: null,
        direction: 'in',
        channel: 'sms',
        contact: null,
        phone: from,
        email: null,
        gatewayId: gateway.id,
        subject: null,
        text: input.text,
        segments: null,
        status: 'received',
        kind: 'inbound',
        replyTo: null,
        dueAt: now,
        outcome: null,
      },
      now,
    );
  };
  try {
    return await deps.store.transaction(async (tx) => {
      const message = await store(tx);
      const results = await processPending(tx, from, now, config);
      const handled = results.get(message.id);
      return {
        messageId: message.id,
        outcome: handled?.outcome ?? 'unhandled',
        projectId: handled?.projectId ?? null,
      };
    });
  } catch (error) {
    if (error instanceof InputError) throw error;
    const message = await deps.store.transaction(store);
    await processSender(deps, from, false, config);
    const handled = await deps.store.messages.get(message.id);
    return {
      messageId: message.id,
      outcome: (handled?.outcome ?? 'unhandled') as InboundOutcome,
      projectId: handled?.projectId ?? null,
    };
  }
}

/** The sender's number as SPEC 2.1 reads it, a national number with the receiving gateway's
 *  project's default_country (a global gateway: its own); cleaned only when it is not valid. */
async function senderNumber(
  repos: Repos,
  config: ConfigView,
  gateway: GatewayRecord,
  raw: string,
): Promise<string> {
  const project = gateway.owner === null ? null : await config.project(repos, gateway.owner);
  const country = senderCountry(gateway, project ? effectiveSettings(project.settings).defaultCountry : null);
  const check = checkNumber(raw, country);
  return check.kind === 'valid' ? check.number : cleanNumber(raw);
}

/** Runs the pipeline for every waiting message of one sender, in arrival order. `asDueWork`:
 *  the worker's retry, where a message that fails again is marked in error (the arrival's own
 *  fallback lets a failure through, so the message stays due). */
export async function processSender(
  deps: Deps,
  number: string,
  asDueWork = false,
  configView?: ConfigView,
): Promise<number> {
  const now = deps.clock.now();
  const config = configView ?? (await currentConfig(deps.store));
  return deps.store.transaction(async (tx) => {
    await tx.lock([numberKey(number)]);
    const guarded = asDueWork ? { log: deps.log } : undefined;
    return (await processPending(tx, number, now, config, guarded)).size;
  });
}

/** The pipeline for the sender's waiting messages (the caller holds its lock); what each came to, by message id. */
async function processPending(
  tx: Repos,
  number: string,
  now: number,
  config: ConfigView,
  /** As due work (a retry): each message guarded, one that fails again is marked in error. */
  guarded?: { log: Deps['log'] },
): Promise<Map<number, Handled>> {
  const results = new Map<number, Handled>();
  for (const message of await tx.inbound.pending(number)) {
    const handle = async () => {
      const id = message.gatewayId;
      const gateway = id === null ? null : await config.gateway(tx, id);
      const result = await pipeline(tx, message, gateway, now, config);
      await tx.inbound.handled(message.id, result, now);
      results.set(message.id, result);
    };
    if (!guarded) await handle();
    else
      await runDueItem(
        tx,
        guarded.log,
        { kind: 'inbound_message', id: message.id, projectId: message.projectId },
        handle,
        (reason) =>
          tx.inbound.handled(
            message.id,
            { outcome: 'error', projectId: null, contact: null, errorText: reason },
            now,
          ),
      );
  }
  return results;
}

/** Due work: senders whose messages were stored but not processed (a crash in between). */
export async function processPendingInbound(deps: Deps, limit: number): Promise<number> {
  let done = 0;
  for (const number of await deps.store.inbound.pendingSenders(deps.clock.now(), limit))
    done += await processSender(deps, number, true);
  return done;
}

interface Handled {
  outcome: InboundOutcome;
  projectId: string | null;
  contact: { kind: ContactKind; id: string } | null;
}

async function pipeline(
  tx: Repos,
  message: MessageRecord,
  gateway: GatewayRecord | null,
  now: number,
  config: ConfigView,
): Promise<Handled> {
  const number = message.phone ?? '';
  const text = message.text;
  // 1. The owner of the number among the projects that may use the gateway; a number without
  // one is unknown, even with one-way entries, and so is one owned in another project.
  const entry = checkNumber(number).kind === 'valid' ? await ownerOf(tx, number) : null;
  const { owner, foreign } = scopedOwner(entry, gateway);
  // The owner's project, or for an unknown number the gateway's (a global gateway's: none).
  const projectId = owner?.projectId ?? gateway?.owner ?? null;
  const project = projectId === null ? null : await config.project(tx, projectId);
  const settings = project ? effectiveSettings(project.settings) : null;
  const contact =
    owner && project ? await loadContact(tx, project, owner.contactKind, owner.contactId) : null;
  const whose = owner ? { kind: owner.contactKind, id: owner.contactId } : null;
  const done = (outcome: InboundOutcome): Handled => ({ outcome, projectId, contact: whose });
  const reply: ReplyTarget = {
    projectId,
    contact: whose,
    number,
    gatewayId: gateway?.id ?? '',
    inboundId: message.id,
    settings,
  };
  const language = contact?.language ?? null;

  // 2. Opt keywords, for any sender — but never for a number owned where the gateway cannot reach.
  const opt = gateway ? await optKeywords(tx, gateway, reply, language, text, foreign, now) : null;
  if (opt === 'opted_out' || opt === 'opted_in' || opt === 'opt_frozen' || opt === 'opt_ignored')
    return done(opt);

  // 3. A number pending verification answers the code or waits.
  if (owner?.state === 'pending' && settings) {
    if (!isVerificationReply(text, settings.verificationCode)) return done('awaiting_verification');
    await tx.phones.update(owner.id, { state: 'two_way', verificationExpiresAt: null }, now);
    if (gateway) await queueReply(tx, reply, systemText(settings, 'verification_done', language), now);
    return done('verified');
  }

  // 4. The two-way owner: commands, its open survey or a keyword, the default reply.
  if (owner && project && settings && gateway) {
    const sender: Sender = {
      entry: owner,
      project,
      settings,
      contact,
      keywords: await config.keywords(tx, project.id),
      reply: {
        ...reply,
        projectId: project.id,
        contact: whose ?? { kind: owner.contactKind, id: owner.contactId },
        language,
      },
    };
    return done(await ownerSteps(tx, sender, text, now));
  }

  // 5. Unknown numbers may register; anything else is logged, unanswered.
  const join = parseJoin(text);
  if (join && gateway) {
    const registered = await register(tx, join, number, gateway, message.id, now, (id) =>
      mayUseGateway(gateway, id),
    );
    if (registered)
      return { outcome: 'registered', projectId: registered.projectId, contact: registered.contact };
  }
  return done('unrecognised');
}

/** Step 2. Returns what happened, or null when processing goes on (no keyword, or pass-through). */
async function optKeywords(
  tx: Repos,
  gateway: GatewayRecord,
  reply: ReplyTarget,
  language: string | null,
  text: string,
  foreign: boolean,
  now: number,
): Promise<'opted_out' | 'opted_in' | 'opt_frozen' | 'opt_ignored' | null> {
  const lists = { optOut: gateway.optOutKeywords, optIn: gateway.optInKeywords };
  const kind = classifyOptKeyword(text, lists);
  if (kind === null) return null;
  // Owned in a project that cannot use this gateway: logged, no state change, no confirmation.
  if (foreign) return kind === 'pass_through' ? null : 'opt_ignored';
  const current = await tx.optOuts.get(reply.number);
  const canOptIn = current?.canOptIn ?? true;
  if (!canOptIn) return kind === 'pass_through' ? null : 'opt_frozen';
  const optedOut = kind === 'opt_out';
  if ((current?.optedOut ?? false) !== optedOut)
    await tx.optOuts.put({ number: reply.number, optedOut, canOptIn, projectId: reply.projectId }, now);
  if (kind === 'pass_through') return null;
  const key = optedOut ? 'opted_out' : 'opted_in';
  const keyword = optedOut ? firstOptIn(lists) : firstOptOut(lists);
  await queueReply(
    tx,
    reply,
    systemText(reply.settings, key, language, { keyword }),
    now,
    'opt_confirmation',
  );
  return key;
}

async function ownerSteps(tx: Repos, sender: Sender, text: string, now: number): Promise<InboundOutcome> {
  const { project, settings, reply } = sender;
  const command = parseCommand(text);
  const session = await tx.sessions.openFor(project.id, reply.contact.kind, reply.contact.id);
  if (command) {
    if (command.kind === 'stop') {
      if (session) await tx.sessions.end(session.id, 'closed', now);
    } else if (command.kind === 'current') {
      if (session) await repeatCurrent(tx, project, session, reply, now);
    } else if (command.kind === 'start') {
      const keyword = findKeyword(sender, command.text);
      if (keyword) {
        // A keyword run while a survey is open closes it first, as CommCare does.
        if (session) await tx.sessions.end(session.id, 'closed', now);
        await runKeyword(tx, sender, keyword, command.text, now);
      } else await queueReply(tx, reply, systemText(settings, 'unknown_command', reply.language), now);
    } else {
      await queueReply(tx, reply, systemText(settings, 'unknown_command', reply.language), now);
    }
    return 'command';
  }
  const keyword = findKeyword(sender, text);
  if (session && !(keyword?.definition.override_open_survey ?? false)) {
    await answerSurvey(tx, project, session, reply, text, now);
    return 'survey_answer';
  }
  if (keyword) {
    if (session) await tx.sessions.end(session.id, 'closed', now);
    await runKeyword(tx, sender, keyword, text, now);
    return 'keyword';
  }
  if (settings.defaultReply) {
    await queueReply(tx, reply, settings.defaultReply, now);
    return 'default_reply';
  }
  return 'unhandled';
}
