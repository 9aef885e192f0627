// The global phone registry for one number (admin): every entry, in every project, and its owner.
import Type from 'typebox';
import { optOutNumber } from '../../app/registry/opt-outs.ts';
import type { PhoneEntry } from '../../app/ports/records.ts';
import { ownsNumber } from '../../domain/registry.ts';
import { checkNumber } from '../../domain/phone.ts';
import { bearer, errors, isoOrNull, NullableInstant, PathId, type Api, type ApiDeps } from '../common.ts';

const EntryView = Type.Object(
  {
    project: Type.String(),
    contact: Type.Object(
      { kind: Type.Enum(['case', 'mobile_worker']), id: Type.String() },
      { additionalProperties: false },
    ),
    state: Type.Enum(['one_way', 'waiting', 'pending', 'two_way'], {
      description: 'waiting: a verified claim behind the owner',
    }),
    two_way: Type.Boolean(),
    pending: Type.Boolean(),
    claimed_at: NullableInstant,
    verification_expires_at: NullableInstant,
  },
  { additionalProperties: false },
);

const NumberView = Type.Object(
  {
    number: Type.String({ description: 'digits, no +' }),
    /** The entry that is two-way or pending verification: the only one inbound SMS reach. */
    owner: Type.Union([EntryView, Type.Null()]),
    entries: Type.Array(EntryView),
    opt_out: Type.Object(
      { opted_out: Type.Boolean(), can_opt_in: Type.Boolean() },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const entryView = (e: PhoneEntry) => ({
  project: e.projectId,
  contact: { kind: e.contactKind, id: e.contactId },
  state: e.state,
  two_way: e.state === 'two_way',
  pending: e.state === 'pending',
  claimed_at: isoOrNull(e.claimedAt),
  verification_expires_at: isoOrNull(e.verificationExpiresAt),
});

export function phoneNumberRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/phone-numbers/:number',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'The registry entries of one number, in all projects, and its owner (admin)',
        tags: ['phone registry'],
        security: bearer,
        params: Type.Object({ number: PathId }, { additionalProperties: false }),
        response: { 200: NumberView, ...errors() },
      },
    },
    async (request) => {
      const raw = request.params.number;
      const cleaned = optOutNumber(raw);
      const check = checkNumber(raw);
      const number = check.kind === 'valid' ? check.number : cleaned;
      const entries = await deps.store.phones.forNumber(number);
      const owner = entries.find((entry) => ownsNumber(entry.state)) ?? null;
      const optOut = await deps.store.optOuts.get(number);
      return {
        number,
        owner: owner ? entryView(owner) : null,
        entries: entries.map(entryView),
        opt_out: { opted_out: optOut?.optedOut ?? false, can_opt_in: optOut?.canOptIn ?? true },
      };
    },
  );
}
