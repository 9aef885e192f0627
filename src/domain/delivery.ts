// SPEC 3.1: for one recipient of one request, the first rule that applies decides whether a
// message is queued, and if not, which error its sub-event records.
import type { EmailCheck } from './email.ts';
import type { ErrorCode } from './errors.ts';
import { chooseGateway, type GatewayInfo } from './gateway-choice.ts';
import { chooseTranslation, type LanguageChain, type Translations } from './language.ts';
import type { NumberCheck } from './phone.ts';
import type { SharedNumbers } from './registry.ts';
import { renderTemplate, type TemplateContext } from './template.ts';

export interface Content {
  text?: string;
  translations?: Translations;
  subject?: string | null;
}

export interface RecipientFacts {
  /** A closed or deleted case, an inactive mobile worker. */
  active: boolean;
  number: NumberCheck;
  /** Who owns the number when another contact does; null when nobody else does. */
  ownedByAnother: string | null;
  email: EmailCheck;
  /** contact_backend_id of a case. */
  backend: string | null;
  language: LanguageChain;
  template: TemplateContext;
}

export interface DeliveryRequest {
  projectId: string;
  channel: 'sms' | 'email';
  content: Content;
  sharedNumbers: SharedNumbers;
  /** Replies to an inbound SMS ignore the shared-number block and the gateway choice. */
  isReply: boolean;
  gateways: readonly GatewayInfo[];
}

export type Delivery =
  | { ok: false; code: ErrorCode; detail: string }
  | {
      ok: true;
      to: string;
      text: string;
      subject: string | null;
      language: string;
      gateway: GatewayInfo | null;
      gatewayRule: string | null;
    };

export const NO_SUBJECT = '(No Subject)';

export function decideDelivery(request: DeliveryRequest, recipient: RecipientFacts): Delivery {
  if (!recipient.active)
    return { ok: false, code: 'CONTACT_IS_INACTIVE', detail: 'the contact is closed, deleted or inactive' };

  let to: string;
  if (request.channel === 'sms') {
    const number = recipient.number;
    if (number.kind === 'none')
      return { ok: false, code: 'NO_PHONE_NUMBER', detail: 'the contact has no phone number' };
    if (number.kind === 'invalid')
      return { ok: false, code: 'INVALID_PHONE_NUMBER', detail: `"${number.cleaned}": ${number.reason}` };
    if (recipient.ownedByAnother !== null && request.sharedNumbers === 'block' && !request.isReply) {
      return {
        ok: false,
        code: 'PHONE_NUMBER_IN_USE',
        detail: `+${number.number} is owned by ${recipient.ownedByAnother}`,
      };
    }
    to = number.number;
  } else {
    const email = recipient.email;
    if (email.kind === 'none')
      return { ok: false, code: 'NO_EMAIL_ADDRESS', detail: 'the contact has no e-mail address' };
    if (email.kind === 'invalid') return { ok: false, code: 'INVALID_EMAIL_ADDRESS', detail: email.reason };
    to = email.address;
  }

  const translations = request.content.translations ?? { '*': request.content.text ?? '' };
  const chosen = chooseTranslation(translations, recipient.language);
  if (!chosen)
    return { ok: false, code: 'NO_MESSAGE', detail: "no text in the recipient's language or its fallbacks" };
  const text = renderTemplate(chosen.text, recipient.template);
  if (!text.ok) return { ok: false, code: 'CANNOT_RENDER_MESSAGE', detail: text.reason };
  let subject: string | null = null;
  if (request.channel === 'email') {
    const rendered = renderTemplate(request.content.subject ?? '', recipient.template);
    if (!rendered.ok)
      return { ok: false, code: 'CANNOT_RENDER_MESSAGE', detail: `subject: ${rendered.reason}` };
    subject = rendered.text.trim() === '' ? NO_SUBJECT : rendered.text;
  }

  if (request.channel === 'email' || request.isReply) {
    return {
      ok: true,
      to,
      text: text.text,
      subject,
      language: chosen.language,
      gateway: null,
      gatewayRule: null,
    };
  }
  const choice = chooseGateway(request.projectId, to, recipient.backend, request.gateways);
  if (!choice.ok) return { ok: false, code: choice.error, detail: choice.reason };
  return {
    ok: true,
    to,
    text: text.text,
    subject,
    language: chosen.language,
    gateway: choice.gateway,
    gatewayRule: choice.rule,
  };
}
