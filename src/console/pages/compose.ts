// Composing one message: to a case, a mobile worker or a bare number, by SMS or e-mail. The
// form posts through the API's schema (SendBody) and use case (sendMessage); "Preview" shows
// the server's segment count (the browser's live counter in compose.js only mirrors it), "Send"
// queues it and opens the message.
import { SendBody } from '../../app/sending/schemas.ts';
import { sendMessage } from '../../app/sending/send.ts';
import { effectiveSettings } from '../../app/projects/settings.ts';
import { parseInput } from '../../lib/input.ts';
import { cleanText, countSegments } from '../../domain/text.ts';
import type { ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { field, formProblem, optional, problemOn, type Form, type FormProblem } from '../forms.ts';
import { projectPath, render } from '../render.ts';

const KINDS = ['case', 'mobile_worker', 'phone'] as const;

interface Draft {
  to_kind: string;
  to_id: string;
  channel: string;
  subject: string;
  text: string;
}

/** The API's field paths on this form's inputs. */
function inputFor(path: string): string | null {
  if (path === 'to') return 'to_kind';
  if (path.startsWith('to.')) return 'to_id';
  if (path === 'channel' || path === 'subject' || path === 'text') return path;
  return null;
}

/** The SendBody a draft stands for (validated by the caller, as the API validates its body). */
function sendBody(draft: Draft): unknown {
  const to = (KINDS as readonly string[]).includes(draft.to_kind)
    ? { [draft.to_kind]: draft.to_id.trim() }
    : { [draft.to_kind || 'recipient']: draft.to_id };
  return {
    to,
    channel: draft.channel,
    text: draft.text,
    ...(draft.channel === 'email' && draft.subject !== '' ? { subject: draft.subject } : {}),
  };
}

export const composePage: ConsolePage = (app, deps) => {
  const show = (
    request: Parameters<typeof render>[1],
    reply: Parameters<typeof render>[2],
    draft: Draft,
    extra: { problem?: FormProblem | null; preview?: unknown; outcome?: unknown },
    status = 200,
  ) => {
    const project = projectOf(request);
    const problem = extra.problem ?? null;
    return render(
      deps.readModel,
      request,
      reply,
      'compose',
      {
        title: 'Compose a message',
        nav: 'messages',
        draft,
        problem,
        err: problemOn(problem),
        preview: extra.preview ?? null,
        normalize: effectiveSettings(project.settings).normalizeText,
        outcome: extra.outcome ?? null,
        action: projectPath(project.id, 'messages', 'new'),
        back: projectPath(project.id, 'messages'),
      },
      status,
    );
  };

  app.get<{ Querystring: Partial<Draft> }>('/messages/new', async (request, reply) => {
    const q = request.query;
    return show(
      request,
      reply,
      {
        to_kind: q.to_kind ?? 'case',
        to_id: q.to_id ?? '',
        channel: q.channel ?? 'sms',
        subject: '',
        text: '',
      },
      {},
    );
  });

  app.post<{ Body: Form }>('/messages/new', async (request, reply) => {
    const project = projectOf(request);
    const body = request.body;
    const draft: Draft = {
      to_kind: field(body, 'to_kind'),
      to_id: field(body, 'to_id'),
      channel: field(body, 'channel') || 'sms',
      subject: field(body, 'subject'),
      text: field(body, 'text'),
    };
    let input: SendBody;
    try {
      input = parseInput(SendBody, sendBody(draft));
    } catch (error) {
      const problem = formProblem(error, inputFor);
      if (!problem) throw error;
      return show(request, reply, draft, { problem }, 400);
    }
    if (optional(body, 'action') === 'preview') {
      const sms = (input.channel ?? 'sms') === 'sms';
      const text =
        sms && effectiveSettings(project.settings).normalizeText
          ? cleanText(input.text ?? '')
          : (input.text ?? '');
      return show(request, reply, draft, { preview: { text, sms, ...countSegments(text) } });
    }
    const result = await sendMessage(deps, { ...input, project: project.id });
    const outcome = result.subEvents[0];
    if (outcome?.messageId != null)
      return reply.redirect(`${projectPath(project.id, 'messages', String(outcome.messageId))}?sent=1`, 303);
    // Recorded on the event like the API's answer says, but nothing was queued.
    return show(
      request,
      reply,
      draft,
      { outcome: outcome?.error ?? { code: 'NO_RECIPIENT', text: '' } },
      422,
    );
  });
};
