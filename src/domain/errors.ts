// The error-code catalog (SPEC 6): exact strings, each with what happened and what to do.
export const ERROR_CODES = [
  'NO_RECIPIENT',
  'NO_MESSAGE',
  'CANNOT_RENDER_MESSAGE',
  'NO_PHONE_NUMBER',
  'INVALID_PHONE_NUMBER',
  'PHONE_NUMBER_IN_USE',
  'NO_TWO_WAY_PHONE_NUMBER',
  'PHONE_NUMBER_OPTED_OUT',
  'CONTACT_IS_INACTIVE',
  'GATEWAY_NOT_FOUND',
  'NO_SUITABLE_GATEWAY',
  'GATEWAY_ERROR',
  'TOO_MANY_UNSUCCESSFUL_ATTEMPTS',
  'MESSAGE_IS_STALE',
  'NO_EMAIL_ADDRESS',
  'INVALID_EMAIL_ADDRESS',
  'EMAIL_GATEWAY_ERROR',
  'COULD_NOT_PROCESS_STRUCTURED_SMS',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One sentence each, ending with a full stop. */
export const ERROR_TEXT: Record<ErrorCode, string> = {
  NO_RECIPIENT: 'The message has no recipient to send to; name a case, mobile worker or phone number.',
  NO_MESSAGE:
    "There is no text in the recipient's language within the project's language fallback; add a translation or an untranslated (*) text.",
  CANNOT_RENDER_MESSAGE:
    'The message template cannot be rendered; fix its braces (write {{ and }} for literal braces).',
  NO_PHONE_NUMBER:
    'The contact has no phone number; set contact_phone_number on the case or a number on the mobile worker.',
  INVALID_PHONE_NUMBER:
    'The phone number is not a valid international number; correct it to the country code followed by the number, without a leading zero.',
  PHONE_NUMBER_IN_USE:
    'The phone number is owned by another contact (verified or pending verification) and the project blocks shared numbers.',
  NO_TWO_WAY_PHONE_NUMBER:
    'The contact has no verified two-way number, which a survey needs; verify the number or use a one-way message.',
  PHONE_NUMBER_OPTED_OUT:
    'The phone number has opted out of SMS; it must text the opt-in keyword to receive messages again.',
  CONTACT_IS_INACTIVE: 'The contact is closed, deleted or inactive, so it receives no messages.',
  GATEWAY_NOT_FOUND:
    "The gateway named by the contact's contact_backend_id does not exist for this project; fix the name or add the gateway.",
  NO_SUITABLE_GATEWAY:
    'No gateway applies to this number: the project has no matching prefix or default gateway and there is no global one.',
  GATEWAY_ERROR:
    'The gateway rejected the message permanently (an invalid destination or refused content), so it is not retried.',
  TOO_MANY_UNSUCCESSFUL_ATTEMPTS:
    "The gateway failed on every attempt allowed by its max_attempts; check the gateway's health.",
  MESSAGE_IS_STALE: 'The message waited more than 7 days in the queue and was dropped.',
  NO_EMAIL_ADDRESS:
    'The contact has no e-mail address; set commcare_email_address on the case or email on the mobile worker.',
  INVALID_EMAIL_ADDRESS:
    'The e-mail address is not valid (it needs one @, a dotted domain and no spaces); correct it.',
  EMAIL_GATEWAY_ERROR:
    'The SMTP server did not accept the e-mail after every allowed attempt; check the SMTP settings.',
  COULD_NOT_PROCESS_STRUCTURED_SMS:
    'A structured SMS had a field that is missing or not of its type, so nothing was written to the case; the sender was told which field.',
};

/** The code's text, followed by ": detail" (without the text's full stop) when a detail is given. */
export function describeError(code: ErrorCode, detail?: string | null): string {
  const text = ERROR_TEXT[code];
  const extra = detail?.trim() ?? '';
  return extra === '' ? text : `${text.replace(/\.$/, '')}: ${extra}`;
}

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(s: string): s is ErrorCode {
  return CODES.has(s);
}
