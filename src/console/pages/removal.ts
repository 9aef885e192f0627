// Deleting from the console: a first post shows what will happen and asks to confirm (no script
// dialogs); the confirmed post deletes through the use case and goes back to the list. An object
// in use is not deleted: the page says what uses it (the API's 409 and used_by).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InUseError } from '../../app/errors.ts';
import type { ConsoleDeps } from '../deps.ts';
import { field, type Form } from '../forms.ts';
import type { NavKey } from '../render.ts';
import { render } from '../render.ts';

export interface Removal {
  /** `survey s1`: what goes. */
  what: string;
  /** What deleting it does, in words. */
  consequence: string;
  nav: NavKey;
  /** The address the confirmation posts to, and the list to go back to. */
  action: string;
  back: string;
}

export async function confirmThenDelete(
  deps: ConsoleDeps,
  request: FastifyRequest<{ Body: Form }>,
  reply: FastifyReply,
  removal: Removal,
  remove: () => Promise<unknown>,
): Promise<FastifyReply> {
  const page = (usedBy: InUseError | null, status = 200) =>
    render(
      deps.readModel,
      request,
      reply,
      'confirm-delete',
      {
        title: `Delete ${removal.what}?`,
        ...removal,
        inUse: usedBy ? { message: usedBy.message, users: usedBy.usedBy } : null,
      },
      status,
    );
  if (field(request.body, 'confirm') !== 'yes') return page(null);
  try {
    await remove();
  } catch (error) {
    if (error instanceof InUseError) return page(error, 409);
    throw error;
  }
  return reply.redirect(`${removal.back}?done=${encodeURIComponent(`Deleted ${removal.what}.`)}`, 303);
}
