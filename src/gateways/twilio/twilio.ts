// The `twilio` gateway (SPEC 3.6): Twilio's Programmable Messaging REST API for SMS and
// WhatsApp (send.ts), its inbound webhook, its status callback and its request signature
// (webhooks.ts), configured as config.ts says.
import { smsGatewayType } from '../define.ts';
import { parseTwilioConfig, secretsOf, TwilioConfig } from './config.ts';
import { createTwilioAdapter } from './send.ts';
import { EMPTY_TWIML, isSignedByTwilio, parseTwilioInbound, twilioReport } from './webhooks.ts';

export { DEFAULT_TWILIO_BASE_URL, parseTwilioConfig, secretsOf, TwilioConfig } from './config.ts';
export { createTwilioAdapter } from './send.ts';
export {
  isSignedByTwilio,
  parseTwilioInbound,
  parseTwilioStatus,
  twilioSignature,
  verifyTwilioSignature,
} from './webhooks.ts';

const configOf = (config: unknown): TwilioConfig | null => {
  try {
    return parseTwilioConfig(config);
  } catch {
    return null;
  }
};

/** The `twilio` type: its Messages API, and webhooks signed with the auth token. */
export const twilioType = smsGatewayType<TwilioConfig>({
  name: 'twilio',
  label: 'Twilio (SMS or WhatsApp)',
  config: TwilioConfig,
  secretFields: ['auth_token'],
  parseConfig: parseTwilioConfig,
  secretsOf,
  createAdapter: ({ clock, publicUrl, lastInboundAt }) =>
    createTwilioAdapter({
      clock,
      lastInboundAt,
      // The alias path, which Twilio accounts configured before the generic one already call.
      statusCallbackUrl: (gatewayId) =>
        `${publicUrl}/gateways/${encodeURIComponent(gatewayId)}/twilio/status`,
    }),
  webhooks: {
    alias: 'twilio',
    authenticate(request, gateway) {
      const config = configOf(gateway.config);
      return config !== null && isSignedByTwilio(request, config.auth_token);
    },
    inbound(request) {
      const sms = parseTwilioInbound({ ...request.query, ...request.fields });
      // A WhatsApp sender comes as whatsapp:+…; the pipeline knows numbers.
      return [{ from: sms.from.replace(/^whatsapp:/, ''), text: sms.text, providerMessageId: sms.messageId }];
    },
    status(request, gateway) {
      return [twilioReport({ ...request.query, ...request.fields }, configOf(gateway.config))];
    },
    inboundAnswer: EMPTY_TWIML,
    statusAnswer: EMPTY_TWIML,
  },
});
