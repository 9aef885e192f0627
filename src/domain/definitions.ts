// The definitions of what sends and answers on its own: conditional alerts and broadcasts
// (SPEC 4) and keywords (SPEC 5). Stored as given; the rules read them.
import Type from 'typebox';
import type { Static, TSchema } from 'typebox';
import { FreeText, Id, isRegex, regexProblem, Strict } from '../lib/schema.ts';
import { Content, Language, MAX_MESSAGE_TEXT, Reply, Translations } from './content.ts';
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

const CUSTOM_TYPES: readonly string[] = ['custom_daily', 'custom_immediate'];
/** A custom schedule's events carry their content: the alert or broadcast has none; any other
 * schedule needs one (SPEC 4.1). */
function contentProblem(body: { schedule: { type: string }; content?: unknown }): string | undefined {
  const custom = CUSTOM_TYPES.includes(body.schedule.type);
  if (custom && body.content !== undefined)
    return 'content: not allowed with a custom schedule (each event has its own content)';
  if (!custom && body.content === undefined) return 'content: is required';
  return undefined;
}
function withContentRule<T extends TSchema>(schema: T) {
  return Type.Refine(
    schema,
    (body) => contentProblem(body as Parameters<typeof contentProblem>[0]) === undefined,
    (body) => contentProblem(body as Parameters<typeof contentProblem>[0]) ?? 'is not valid',
  );
}

/** Whom an alert sends to: the case, its owner (a mobile worker, or each member of a group of
 * them), its parent case (the `parent` index), or its open child cases (SPEC 4.2). */
export const AlertRecipientKind = Type.Enum(['case', 'owner', 'parent', 'children']);
export type AlertRecipientKind = Static<typeof AlertRecipientKind>;

/** A conditional alert on one case type (SPEC 4). */
export const AlertBody = withContentRule(
  Strict({
    case_type: Id,
    criteria: Type.Array(Criterion),
    /** Default `all`. */
    match: Type.Optional(Type.Enum(['all', 'any'])),
    /** Default `["case"]`. */
    recipients: Type.Optional(Type.Array(AlertRecipientKind, { minItems: 1, uniqueItems: true })),
    schedule: Schedule,
    /** Absent with a custom schedule (its events carry their content), required otherwise. */
    content: Type.Optional(Content),
    default_language: Type.Optional(Language),
    /** Default true. */
    active: Type.Optional(Type.Boolean()),
  }),
);
export type AlertBody = Static<typeof AlertBody>;

/** A broadcast to a list of recipients. */
export const BroadcastBody = withContentRule(
  Strict({
    recipients: Type.Array(BroadcastRecipient, { minItems: 1 }),
    schedule: Schedule,
    /** Absent with a custom schedule (its events carry their content), required otherwise. */
    content: Type.Optional(Content),
    default_language: Type.Optional(Language),
    /** Default true. False stops every future firing; true again goes on from then (SPEC 7). */
    active: Type.Optional(Type.Boolean()),
  }),
);
export type BroadcastBody = Static<typeof BroadcastBody>;

/** What a keyword does; default `reply`. */
export const KeywordAction = Type.Enum(['reply', 'survey', 'notify_owner', 'structured']);
export type KeywordAction = Static<typeof KeywordAction>;

/** The problem with a keyword's action and its fields, or undefined when they agree. */
function keywordProblem(keyword: {
  action?: KeywordAction;
  reply?: unknown;
  survey?: string;
  notify_text?: unknown;
  fields?: unknown;
  delimiter?: string;
}): string | undefined {
  const action = keyword.action ?? 'reply';
  if (action === 'structured' && keyword.fields === undefined)
    return "'fields' is required when action is 'structured'";
  if (action !== 'structured' && keyword.fields !== undefined)
    return "'fields' is only for action 'structured'";
  if (action !== 'structured' && keyword.delimiter !== undefined)
    return "'delimiter' is only for action 'structured'";
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

/** One field of a structured SMS (SPEC 5.2): the case property it fills and its type. */
export const StructuredField = Strict({
  property: Id,
  type: Type.Enum(['text', 'int', 'decimal', 'date', 'time']),
  /** Default true: a missing or blank part is an error; optional: the property is left as it is. */
  required: Type.Optional(Type.Boolean()),
});
export type StructuredField = Static<typeof StructuredField>;

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
        Type.Union([Type.String({ minLength: 1, maxLength: MAX_MESSAGE_TEXT }), Translations]),
      ),
      /** Who may use it; default `all`. */
      allow: Type.Optional(Type.Enum(['all', 'cases', 'workers'])),
      /** The keyword wins over an open survey instead of being taken as its answer. */
      override_open_survey: Type.Optional(Type.Boolean()),
      /** Action `structured`: the parts after the keyword fill these case properties in order. */
      fields: Type.Optional(Type.Array(StructuredField, { minItems: 1, maxItems: 50 })),
      /** Action `structured`: what separates the parts (absent: any run of whitespace). */
      delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 10 })),
    },
    {
      description:
        'action reply (default) needs reply; survey needs survey; notify_owner needs notify_text; structured needs fields; survey, notify_text, fields and delimiter only with their action',
    },
  ),
  (keyword) => keywordProblem(keyword) === undefined,
  (keyword) => keywordProblem(keyword) ?? 'is not valid',
);
export type KeywordBody = Static<typeof KeywordBody>;
