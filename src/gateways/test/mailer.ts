// A mailer that records what it accepts (the scenario runner and tests).
import type { Clock } from '../../app/ports/clock.ts';
import type { Mailer, OutboundEmail, SendOutcome } from '../../app/ports/gateway.ts';

export interface AcceptedEmail {
  to: string;
  subject: string;
  text: string;
  at: number;
}

export class RecordingMailer implements Mailer {
  readonly accepted: AcceptedEmail[] = [];

  constructor(private readonly clock: Clock) {}

  async send(mail: OutboundEmail): Promise<SendOutcome> {
    this.accepted.push({ to: mail.to, subject: mail.subject, text: mail.text, at: this.clock.now() });
    return { kind: 'accepted', providerMessageId: null };
  }
}
