// What messages say (SPEC 2.4, 3): texts in languages, the channel, and the content of an
// alert, a broadcast or a keyword's reply.
import Type from 'typebox';
import type { Static } from 'typebox';
import { exactlyOneOf, Id, MAX_ID_LENGTH, Strict } from '../lib/schema.ts';

/** A language code (`en`, `hin`, …); in translations `*` is the untranslated text. */
export const Language = Id;

/** SPEC 7 "Bounds": a message text (a send, an alert's or a broadcast's content, a reply, a
 * system text, a survey question) is at most 10,000 characters. */
export const MAX_MESSAGE_TEXT = 10_000;
export const MessageText = Type.String({ maxLength: MAX_MESSAGE_TEXT });

/** Language → text. `*` is the untranslated text; blank texts count as missing (SPEC 2.4). */
export const Translations = Type.Record(Type.String(), MessageText, {
  propertyNames: { minLength: 1, maxLength: MAX_ID_LENGTH },
});
export type Translations = Static<typeof Translations>;

/** Default `sms`. */
export const Channel = Type.Enum(['sms', 'email']);
export type Channel = Static<typeof Channel>;

/** Exactly one of `text` or `translations` (the schema's `oneOf` enforces it). */
export const Reply = Strict(
  {
    text: Type.Optional(MessageText),
    translations: Type.Optional(Translations),
  },
  exactlyOneOf('text', 'translations'),
);
export type Reply = Static<typeof Reply>;

/** What an alert or broadcast sends: exactly one of `text`, `translations` or `survey`. */
export const Content = Strict(
  {
    channel: Type.Optional(Channel),
    text: Type.Optional(MessageText),
    translations: Type.Optional(Translations),
    /** E-mail only; blank becomes `(No Subject)`. */
    subject: Type.Optional(MessageText),
    /** Starts this SMS survey with each recipient (it needs a two-way number). */
    survey: Type.Optional(Id),
  },
  exactlyOneOf('text', 'translations', 'survey'),
);
export type Content = Static<typeof Content>;
