// A `twilio` gateway's configuration (SPEC 3.6): the account, the sender, and for WhatsApp the
// approved template sent outside the 24-hour session and the SMS gateway to fall back on.
import Type from 'typebox';
import type { Static } from 'typebox';
import { Strict, exactlyOneOf } from '../../lib/schema.ts';
import { parseInput } from '../../lib/input.ts';

export const DEFAULT_TWILIO_BASE_URL = 'https://api.twilio.com';
/** Default time Twilio has to answer, in ms. */
export const DEFAULT_TWILIO_TIMEOUT_MS = 10_000;

/** A gateway's `config` for type `twilio`: exactly one of `from` and `messaging_service_sid`. */
export const TwilioConfig = Strict(
  {
    account_sid: Type.String({
      pattern: '^AC[0-9a-fA-F]{32}$',
      errorMessage: 'must be a Twilio account SID: AC and 32 hex digits',
    }),
    auth_token: Type.String({ minLength: 1, maxLength: 200 }),
    /** The sending number (+E.164), short code or alphanumeric sender id. */
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** A Messaging Service that picks the sender. */
    messaging_service_sid: Type.Optional(
      Type.String({
        pattern: '^MG[0-9a-fA-F]{32}$',
        errorMessage: 'must be a Messaging Service SID: MG and 32 hex digits',
      }),
    ),
    /** Default https://api.twilio.com (another only for tests or a regional edge). */
    base_url: Type.Optional(
      Type.String({
        pattern: '^https?://[^\\s/]+(/[^\\s]*)?$',
        maxLength: 2000,
        errorMessage: 'must be an http:// or https:// URL',
        default: DEFAULT_TWILIO_BASE_URL,
      }),
    ),
    /** Time Twilio has to answer, in ms; default 10000. */
    timeout_ms: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 300_000, default: DEFAULT_TWILIO_TIMEOUT_MS }),
    ),
    /** `sms` (default) or `whatsapp`: addresses become `whatsapp:+…`. */
    channel: Type.Optional(Type.Enum(['sms', 'whatsapp'], { default: 'sms' })),
    /** WhatsApp: the approved template (Content SID) sent outside the 24-hour session. */
    content_sid: Type.Optional(
      Type.String({
        pattern: '^HX[0-9a-fA-F]{32}$',
        errorMessage: 'must be a Content SID: HX and 32 hex digits',
      }),
    ),
    /**
     * WhatsApp: the template's variables, number → value with `{text}` (the message's text),
     * `{to}` and `{message_id}`; default `{"1": "{text}"}`.
     */
    content_variables: Type.Optional(
      Type.Record(Type.String({ pattern: '^[0-9]{1,2}$' }), Type.String({ maxLength: 2000 }), {
        errorMessage: 'must map template variable numbers to texts',
      }),
    ),
    /** WhatsApp: the id of a gateway that sends as SMS when WhatsApp fails permanently. */
    sms_fallback: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' })),
  },
  exactlyOneOf('from', 'messaging_service_sid'),
);
export type TwilioConfig = Static<typeof TwilioConfig>;

/** Checks a gateway's `config` for type `twilio`; throws an InputError naming the field. */
export function parseTwilioConfig(config: unknown): TwilioConfig {
  return parseInput(TwilioConfig, config, 'config');
}

export function secretsOf(config: TwilioConfig): string[] {
  return [config.auth_token];
}
