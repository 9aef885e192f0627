// The set-up and time steps of a scenario, each through the same use case the API uses.
import { putAlert } from '../app/scheduling/alerts.ts';
import { putBroadcast } from '../app/scheduling/broadcasts.ts';
import { upsertCase } from '../app/contacts/cases.ts';
import { putKeyword } from '../app/inbound/keywords.ts';
import { putSurvey } from '../app/surveys/surveys.ts';
import { setOptOut } from '../app/registry/opt-outs.ts';
import { putGateway } from '../app/gateways/gateways.ts';
import { handleInbound } from '../app/inbound/inbound.ts';
import { putProject } from '../app/projects/projects.ts';
import { sendMessage } from '../app/sending/send.ts';
import { startVerification } from '../app/registry/verification.ts';
import { upsertMobileWorker } from '../app/contacts/workers.ts';
import { putGroup } from '../app/contacts/groups.ts';
import { Duration } from 'luxon';
import type { ScenarioEngine } from './engine.ts';
import type { Step, StepBody } from './scenario.ts';

/** A difference between what a step expected and what the engine did. */
export class Mismatch extends Error {}

/** Runs a set-up or time step; returns false when the step is an expectation instead. */
export async function runAction(engine: ScenarioEngine, step: Step): Promise<boolean> {
  const { deps, clock } = engine;
  switch (step.kind) {
    case 'project': {
      const { id, ...settings } = step.body;
      await putProject(deps, id, settings);
      return true;
    }
    case 'gateway': {
      const { id, ...body } = step.body;
      await putGateway(deps, id, body);
      return true;
    }
    case 'gateway_fault':
      return injectFault(engine, step.body);
    case 'case':
      await upsertCase(deps, step.body);
      return true;
    case 'mobile_worker':
      await upsertMobileWorker(deps, step.body);
      return true;
    case 'group': {
      const { project, id, ...body } = step.body;
      await putGroup(deps, project, id, body);
      return true;
    }
    case 'verify': {
      const { expect, ...input } = step.body;
      const outcome = await startVerification(deps, input);
      if (expect !== undefined && outcome.result !== expect)
        throw new Mismatch(`expected ${expect}, got ${outcome.result}`);
      return true;
    }
    case 'send':
      await sendMessage(deps, step.body);
      return true;
    case 'alert':
      await putAlert(deps, step.body);
      return true;
    case 'broadcast':
      await putBroadcast(deps, step.body);
      return true;
    case 'keyword': {
      const { project, keyword, ...body } = step.body;
      await putKeyword(deps, project, keyword, body);
      return true;
    }
    case 'survey': {
      const { project, id, ...body } = step.body;
      await putSurvey(deps, project, id, body);
      return true;
    }
    case 'phone_number':
      await setOptOut(deps, step.body.number, { can_opt_in: step.body.can_opt_in });
      return true;
    case 'inbound':
      await handleInbound(deps, step.body);
      return true;
    case 'advance':
      await engine.settle(clock.now() + Duration.fromISO(step.body).toMillis());
      return true;
    case 'advance_to': {
      const target = Date.parse(step.body);
      if (target < clock.now())
        throw new Mismatch(
          `advance_to ${step.body} is before the current instant ${new Date(clock.now()).toISOString()}`,
        );
      await engine.settle(target);
      return true;
    }
    default:
      return false;
  }
}

async function injectFault(engine: ScenarioEngine, body: StepBody<'gateway_fault'>): Promise<boolean> {
  const gateway = await engine.deps.store.gateways.get(body.gateway);
  if (!gateway) throw new Mismatch(`no gateway '${body.gateway}'`);
  engine.gateway.injectFaults(body.gateway, body.fail_next, {
    kind: body.kind,
    text: body.text ?? `injected ${body.kind} fault`,
  });
  return true;
}
