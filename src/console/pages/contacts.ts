// Contacts: search the project's cases and mobile workers by name, id or number. The search box
// asks again as the operator types (htmx) and swaps only the result table.
import type { ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { fragment, projectPath, render } from '../render.ts';

/** Most hits of each kind shown. */
const HITS = 50;
/** At least this many digits make the search look at numbers too. */
const MIN_NUMBER_DIGITS = 3;

/** The digits of a typed number, without a national leading 0 ("0712 345" → "712345"). */
export function searchDigits(q: string): string | null {
  const digits = q.replace(/\D/g, '').replace(/^0+/, '');
  return digits.length >= MIN_NUMBER_DIGITS ? digits : null;
}

export const contactsPage: ConsolePage = (app, deps) => {
  app.get<{ Querystring: { q?: string } }>('/contacts', async (request, reply) => {
    const project = projectOf(request);
    const q = (request.query.q ?? '').slice(0, 200);
    const hits = await deps.reads.searchContacts(project.id, {
      text: q,
      digits: searchDigits(q),
      limit: HITS,
    });
    const data = { q, hits, limit: HITS, base: projectPath(project.id, 'contacts') };
    if (request.headers['hx-request'] === 'true' && request.headers['hx-target'] === 'results')
      return fragment(reply, 'contact-results', data);
    return render(deps.readModel, request, reply, 'contacts', {
      title: 'Contacts',
      nav: 'contacts',
      ...data,
    });
  });
};
