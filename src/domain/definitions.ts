// The definitions of what sends and answers on its own: conditional alerts and broadcasts
// (SPEC 4) and keywords (SPEC 5). Stored as given; the rules read them.
import Type from 'typebox';
import type { Static } from 'typebox';
import { FreeText, Id, isRegex, MAX_TEXT_LENGTH, regexProblem, Strict } from '../lib/schema.ts';
import { Content, Language, Reply, Translations } from './content.ts';
import { BroadcastRecipient } from './recipients.ts';
import { Schedule } from './schedule-shape.ts';

/** A rule on one case property; `value` only with the ops that compare (a `regex` must compile). */
export const Criterion = Type.Union([
  Strict({ property: Id, op: Type.Enum(['equals', 'not_equals']), value: FreeText }),
  Strict({
    property: Id,
    op: Type.Literal('regex'),
    value: Type.Refine(
      Type.String({ maxLength: 1000, description: 'a JavaScript regular expression' }),
      isRegex,
      (pattern) => `must be a valid regular expression (${regexProblem(pattern)})`,
    ),
  }),
  Strict({ property: Id, op: Type.Enum(['has_value', 'has_no_value']) }),
]);
export type Criterion = Static<typeof Criterion>;

/** A conditional alert on one case type (SPEC 4). */
export const AlertBody = Strict({
  case_type: Id,
  criteria: Type.Array(Criterion),
  /** Default `all`. */
  match: Type.Optional(Type.Enum(['all', 'any'])),
  /** Default `["case"]`. */
  recipients: Type.Optional(Type.Array(Type.Enum(['case', 'owner']), { minItems: 1, uniqueItems: true })),
  schedule: Schedule,
  content: Content,
  default_language: Type.Optional(Language),
  /** Default true. */
  active: Type.Optional(Type.Boolean()),
});
export type AlertBody = Static<typeof AlertBody>;

/** A broadcast to a list of recipients. */
export const BroadcastBody = Strict({
  recipients: Type.Array(BroadcastRecipient, { minItems: 1 }),
  schedule: Schedule,
  content: Content,
  default_language: Type.Optional(Language),
  /** Default true. False stops every future firing; true again goes on from then (SPEC 7). */
  active: Type.Optional(Type.Boolean()),
});
export type BroadcastBody = Static<typeof BroadcastBody>;

/** What a keyword does; default `reply`. */
export const KeywordAction = Type.Enum(['reply', 'survey', 'notify_owner']);
export type KeywordAction = Static<typeof KeywordAction>;

/** The problem with a keyword's action and its fields, or undefined when they agree. */
function keywordProblem(keyword: {
  action?: KeywordAction;
  reply?: unknown;
  survey?: string;
  notify_text?: unknown;
}): string | undefined {
  const action = keyword.action ?? 'reply';
  if (action === 'reply' && keyword.reply === undefined) return "'reply' is required when action is 'reply'";
  if (action === 'survey' && keyword.survey === undefined)
    return "'survey' is required when action is 'survey'";
  if (action !== 'survey' && keyword.survey !== undefined) return "'survey' is only for action 'survey'";
  if (action === 'notify_owner' && keyword.notify_text === undefined) {
    return "'notify_text' is required when action is 'notify_owner'";
  }
  if (action !== 'notify_owner' && keyword.notify_text !== undefined) {
    return "'notify_text' is only for action 'notify_owner'";
  }
  return undefined;
}

/**
 * A project keyword (the first word of an inbound SMS, case-insensitive; SPEC 5 step 4).
 * `action` `reply` (the default) needs `reply`; `survey` needs `survey` and starts it for the
 * sender; `notify_owner` needs `notify_text`, sent to the owner of the sending case. With
 * `survey` or `notify_owner`, a `reply` is also sent to the sender (before the survey's first
 * question).
 */
export const KeywordBody = Type.Refine(
  Strict(
    {
      /** Default `reply`. */
      action: Type.Optional(KeywordAction),
      /** The answer to the sender. */
      reply: Type.Optional(Reply),
      /** The id of the survey to start (action `survey`). */
      survey: Type.Optional(Id),
      /** What the case's owner receives (action `notify_owner`): text or language → text. */
      notify_text: Type.Optional(
        Type.Union([Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }), Translations]),
      ),
      /** Who may use it; default `all`. */
      allow: Type.Optional(Type.Enum(['all', 'cases', 'workers'])),
      /** The keyword wins over an open survey instead of being taken as its answer. */
      override_open_survey: Type.Optional(Type.Boolean()),
    },
    {
      description:
        'action reply (default) needs reply; survey needs survey; notify_owner needs notify_text; survey and notify_text only with their action',
    },
  ),
  (keyword) => keywordProblem(keyword) === undefined,
  (keyword) => keywordProblem(keyword) ?? 'is not valid',
);
export type KeywordBody = Static<typeof KeywordBody>;
