// Request schemas of the contacts API: cases, mobile workers and groups.
import Type from 'typebox';
import type { Static } from 'typebox';
import { FreeText, Id, Instant, MAX_ID_LENGTH, Strict } from '../../lib/schema.ts';
import { Language } from '../../domain/content.ts';
import { CaseIndices } from '../../domain/case-index.ts';

/** Case properties: strings; `null` removes a property. */
export const CaseProperties = Type.Record(Type.String(), Type.Union([FreeText, Type.Null()]), {
  propertyNames: { minLength: 1, maxLength: MAX_ID_LENGTH },
});
export type CaseProperties = Static<typeof CaseProperties>;

/** A case upsert: given properties are merged into the case. */
export const CaseBody = Strict({
  /** Default `patient`. */
  type: Type.Optional(Id),
  name: Type.Optional(FreeText),
  /** The owner's id (a mobile worker); empty: no owner. */
  owner: Type.Optional(Type.String({ maxLength: MAX_ID_LENGTH })),
  closed: Type.Optional(Type.Boolean()),
  deleted: Type.Optional(Type.Boolean()),
  properties: Type.Optional(CaseProperties),
  /** Links to other cases by identifier (`parent`, `host`); merged, `null` removes one. */
  indices: Type.Optional(CaseIndices),
  /** Default: now. An update older than the last one applied is ignored. */
  server_modified_on: Type.Optional(Instant),
});
export type CaseBody = Static<typeof CaseBody>;

/** A mobile worker upsert; `null` clears email, language or time_zone. */
export const MobileWorkerBody = Strict({
  username: Type.Optional(Id),
  name: Type.Optional(FreeText),
  /** {recipient.first_name}; absent or blank: the first word of `name`. */
  first_name: Type.Optional(Type.Union([Type.String({ maxLength: MAX_ID_LENGTH }), Type.Null()])),
  /** {recipient.last_name}; absent or blank: `name` after its first word. */
  last_name: Type.Optional(Type.Union([Type.String({ maxLength: MAX_ID_LENGTH }), Type.Null()])),
  /** The first is the default number. Kept as typed; invalid ones show in the status. */
  phone_numbers: Type.Optional(Type.Array(Type.String({ maxLength: MAX_ID_LENGTH }))),
  email: Type.Optional(Type.Union([Type.String({ maxLength: 320 }), Type.Null()])),
  language: Type.Optional(Type.Union([Language, Type.Null()])),
  /** An invalid zone is a warning on the worker, not an input error (SPEC 2.4). */
  time_zone: Type.Optional(Type.Union([Type.String({ maxLength: MAX_ID_LENGTH }), Type.Null()])),
  active: Type.Optional(Type.Boolean()),
});
export type MobileWorkerBody = Static<typeof MobileWorkerBody>;

/** A group of cases or of mobile workers (PUT .../groups/{id}). */
export const GroupBody = Strict({
  kind: Type.Enum(['case', 'mobile_worker']),
  name: Type.Optional(Type.Union([FreeText, Type.Null()])),
  members: Type.Array(Id, { maxItems: 100_000 }),
});
export type GroupBody = Static<typeof GroupBody>;
