// The project's gateways: the list with each one's webhook addresses (SPEC 3.6:
// {CASELINE_PUBLIC_URL}/gateways/{id}/inbound and /status), a form whose config inputs are
// generated from the chosen type's schema (gateway-form.ts), a test message through one
// gateway, and deletion. Saves go through the API's schema and use case; sharing with other
// projects needs the admin key, as in the API.
import { deleteGateway } from '../../app/gateways/removal.ts';
import { gatewayBody } from '../../app/gateways/schemas.ts';
import { maskConfig } from '../../app/gateways/secrets.ts';
import { storeGateway } from '../../app/gateways/store.ts';
import { sendTestMessage } from '../../app/gateways/test-send.ts';
import { ApiError } from '../../app/errors.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import { InputError, parseInput } from '../../lib/input.ts';
import { Id } from '../../lib/schema.ts';
import type { ConsoleDeps, ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { configFromForm, formOfConfig, typeForms } from '../gateway-form.ts';
import { defined, field, jsonField, optional, optionalInteger, type Form } from '../forms.ts';
import { projectPath } from '../render.ts';
import { checked, isAdmin, list, save, show, str, type Section } from './sections.ts';

const smsTypeNames = (deps: ConsoleDeps): string[] =>
  deps.gatewayTypes.types.filter((type) => type.channel === 'sms').map((type) => type.name);

/** How a type's webhooks prove who calls them, for the page. */
function authentication(type: string): string {
  if (type === 'twilio')
    return "Twilio signs its requests with the account's auth token (X-Twilio-Signature).";
  if (type === 'telerivet') return "Telerivet sends the gateway's webhook_secret in each request.";
  if (type === 'smpp') return 'Nothing to configure: replies and receipts arrive on the SMPP bind.';
  return "Give the gateway's inbound secret as the query parameter ?secret=… (or the header X-Caseline-Secret).";
}

interface Listed extends GatewayRecord {
  configText: string;
  masked: Record<string, unknown>;
  inboundUrl: string;
  statusUrl: string;
  authentication: string;
}

const GATEWAYS: Section = {
  view: 'gateways',
  title: 'Gateways',
  nav: 'gateways',
  load: async (deps, request) => {
    const base = deps.publicUrl.replace(/\/+$/, '');
    const gateways: Listed[] = (await deps.store.gateways.ownedBy(projectOf(request).id)).map((g) => {
      const masked = maskConfig(deps.gatewayTypes, g.type, g.config);
      const at = `${base}/gateways/${encodeURIComponent(g.id)}`;
      return {
        ...g,
        configText: JSON.stringify(masked),
        masked,
        inboundUrl: `${at}/inbound`,
        statusUrl: `${at}/status`,
        authentication: authentication(g.type),
      };
    });
    return {
      types: smsTypeNames(deps).map((name) => ({ value: name, label: name })),
      typeForms: typeForms(deps.gatewayTypes),
      gateways,
    };
  },
  prefill: (data, id): Record<string, string> => {
    const g = (data.gateways as Listed[]).find((x) => x.id === id);
    if (!g) return {};
    return {
      id: g.id,
      name: g.name,
      type: g.type,
      default: g.isDefault ? 'on' : '',
      prefixes: g.prefixes.join(', '),
      shared_with: g.sharedWith.join(', '),
      rate_limit_per_minute: str(g.rateLimitPerMinute),
      max_attempts: str(g.maxAttempts),
      retry_minutes: str(g.retryMinutes),
      ...(data.formOfConfig as (type: string, config: Record<string, unknown>) => Record<string, string>)(
        g.type,
        g.masked,
      ),
    };
  },
};

const GATEWAY_INPUTS = [
  'id',
  'name',
  'type',
  'default',
  'prefixes',
  'shared_with',
  'rate_limit_per_minute',
  'max_attempts',
  'retry_minutes',
  'config',
  'inbound_secret',
];

export const gatewayPages: ConsolePage = (app, deps) => {
  const section: Section = {
    ...GATEWAYS,
    load: async (d, request) => ({
      ...(await GATEWAYS.load(d, request)),
      formOfConfig: (type: string, config: Record<string, unknown>) =>
        formOfConfig(deps.gatewayTypes, type, config),
    }),
  };

  app.get<{ Querystring: { saved?: string; edit?: string } }>('/gateways', async (request, reply) => {
    const edit = request.query.edit;
    const form =
      edit !== undefined && section.prefill ? section.prefill(await section.load(deps, request), edit) : {};
    return show(deps, request, reply, section, form, null, { saved: request.query.saved ?? null });
  });

  app.post<{ Body: Form }>('/gateways', async (request, reply) => {
    const b = request.body;
    const typeName = optional(b, 'type') ?? 'test';
    // A config field's problem (config.url) is shown on that type's input.
    const inputs = [
      ...GATEWAY_INPUTS,
      ...typeForms(deps.gatewayTypes).flatMap((t) => t.inputs.map((i) => i.id)),
    ];
    return save(deps, request, reply, section, inputs, 'config', async () => {
      const project = projectOf(request);
      const id = parseInput(Id, field(b, 'id').trim(), 'id');
      const current = await deps.store.gateways.get(id);
      if (current && current.owner !== project.id)
        throw new ApiError(
          'conflict',
          `gateway id '${id}' is taken; gateway ids are unique across projects`,
          'id',
        );
      const stored =
        current && current.type === typeName
          ? maskConfig(deps.gatewayTypes, current.type, current.config)
          : null;
      const json = jsonField(b, 'config');
      const generated = configFromForm(deps.gatewayTypes, typeName, b, stored);
      const body = parseInput(
        gatewayBody(smsTypeNames(deps)),
        defined({
          project: project.id,
          name: optional(b, 'name'),
          type: optional(b, 'type'),
          default: checked(b, 'default'),
          prefixes: list(optional(b, 'prefixes')) ?? [],
          shared_with: list(optional(b, 'shared_with')),
          rate_limit_per_minute: optionalInteger(b, 'rate_limit_per_minute'),
          max_attempts: optionalInteger(b, 'max_attempts'),
          retry_minutes:
            optional(b, 'retry_minutes') === undefined ? undefined : Number(optional(b, 'retry_minutes')),
          // The JSON box, when filled in, says the whole config; otherwise the type's inputs do.
          config: json ?? generated,
          inbound_secret: optional(b, 'inbound_secret'),
        }),
      );
      if (!isAdmin(request) && (body.shared_with ?? []).some((other) => other !== project.id)) {
        throw new ApiError(
          'forbidden',
          'sharing a gateway with other projects needs the admin key',
          'shared_with',
        );
      }
      try {
        await storeGateway(deps, id, body, current, isAdmin(request) ? 'admin' : 'project');
      } catch (error) {
        throw json === undefined ? onInput(error, typeName) : error;
      }
      return `gateway ${id}`;
    });
  });

  app.post<{ Params: { id: string }; Body: Form }>('/gateways/:id/test', async (request, reply) =>
    save(deps, request, reply, section, ['to', 'text'], 'to', async () => {
      const project = projectOf(request);
      const b = request.body;
      const outcome = await sendTestMessage(
        deps,
        project.id,
        request.params.id,
        field(b, 'to'),
        field(b, 'text'),
      );
      if (outcome.error)
        throw new ApiError('invalid_input', `${outcome.error.code}: ${outcome.error.text}`, 'to');
      return `a test message through ${request.params.id} (message ${outcome.messageId ?? '?'}; see Messages)`;
    }),
  );

  app.post<{ Params: { id: string } }>('/gateways/:id/delete', async (request, reply) => {
    const project = projectOf(request);
    const removed = await deleteGateway(deps, request.params.id, project.id);
    if (!removed) throw new ApiError('not_found', `no gateway '${request.params.id}' in this project`);
    return reply.redirect(
      `${projectPath(project.id, 'gateways')}?saved=${encodeURIComponent(`the removal of ${request.params.id}`)}`,
      303,
    );
  });
};

/** A config error (`config.url`) named as the chosen type's input (`cfg.kannel.url`). */
function onInput(error: unknown, type: string): unknown {
  const field = error instanceof InputError || error instanceof ApiError ? (error.field ?? '') : '';
  if (!field.startsWith('config.')) return error;
  const name = field.slice('config.'.length).split(/[.[]/)[0] ?? '';
  const input = `cfg.${type}.${name}`;
  // A refused address keeps its code and status (400 GATEWAY_URL_FORBIDDEN), on its input.
  return error instanceof ApiError
    ? new ApiError(error.code, error.message, input, error.status)
    : new InputError(input, (error as InputError).message);
}
