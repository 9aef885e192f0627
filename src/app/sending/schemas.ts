// The request schema of a send (SPEC 3.1): one message, queued now.
import Type from 'typebox';
import type { Static } from 'typebox';
import { exactlyOneOf, Strict } from '../../lib/schema.ts';
import { Channel, Language, MessageText, Translations } from '../../domain/content.ts';
import { Recipient } from '../../domain/recipients.ts';

/** One message, queued now: exactly one of `text` or `translations`. */
export const SendBody = Strict(
  {
    to: Recipient,
    channel: Type.Optional(Channel),
    text: Type.Optional(MessageText),
    translations: Type.Optional(Translations),
    subject: Type.Optional(MessageText),
    default_language: Type.Optional(Language),
  },
  exactlyOneOf('text', 'translations'),
);
export type SendBody = Static<typeof SendBody>;
