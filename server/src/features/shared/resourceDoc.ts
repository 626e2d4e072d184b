/**
 * What the editor says about a Task's `Resource`, for hover and the IAM code lenses. The hover
 * markdown: what the integration pattern does, the output
 * shape, the errors it can raise and the IAM actions it needs (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html).
 */
import { findIntegration } from '../../../../asl/src/integrations';
import {
  iamActionsForState,
  inferredStatementsNote,
  kubernetesRbacNote,
  policyForState,
} from '../../../../asl/src/iam';
import { patternSuffix } from '../../../../asl/src/resource';
import type { IntegrationPattern, StateInfo } from '../../../../asl/src/types';
import type { ServerSettings } from '../../settings';

const PATTERN_NAME: Record<IntegrationPattern, string> = {
  requestResponse: 'Request Response',
  sync: 'Run a Job (.sync)',
  waitForTaskToken: 'Wait for Callback (.waitForTaskToken)',
};

/** Whether a state is a Task calling an ECS/EKS optimized integration. */
export function isEcsEksTask(s: StateInfo): boolean {
  return (
    s.type === 'Task' &&
    s.resource?.kind === 'optimized' &&
    (s.resource.service === 'ecs' || s.resource.service === 'eks')
  );
}

/** IAM context values from the settings (placeholders stay placeholders). */
export function iamSettings(settings?: ServerSettings): { region?: string; account?: string } {
  return { region: settings?.iam.region, account: settings?.iam.account };
}

/** The hover markdown of a Task state's Resource. */
export function resourceMarkdown(state: StateInfo, settings?: ServerSettings): string {
  const r = state.resource;
  if (!r) return '';
  if (r.kind === 'sdk') {
    return [
      `**AWS SDK integration** \`${r.service}:${r.action}\`${r.pattern === 'waitForTaskToken' ? ' (.waitForTaskToken)' : ''}`,
      '',
      'Calls the API directly; parameters are the API request in PascalCase; errors are named `' +
        `${(r.service ?? '').charAt(0).toUpperCase()}${(r.service ?? '').slice(1)}.<Exception>\`. ` +
        '`.sync` is not supported, and Step Functions generates no IAM policy for SDK integrations.',
    ].join('\n');
  }
  if (r.kind === 'lambda') return '**AWS Lambda function** invoked directly (no IAM policy generated here).';
  if (r.kind === 'activity')
    return '**Activity**: a worker polls GetActivityTask and answers with SendTaskSuccess/SendTaskFailure.';
  const integration = r.key ? findIntegration(r.key) : undefined;
  if (!integration) return `\`${r.raw}\`: not an integration asl-workbench knows.`;
  const lines: string[] = [];
  lines.push(
    `**${integration.key}${patternSuffix(r.pattern)}** — ${PATTERN_NAME[r.pattern]}`,
    '',
    integration.summary,
    '',
  );
  if (!integration.patterns.includes(r.pattern)) {
    lines.push(
      `⚠ \`${integration.key}\` does not support this pattern; supported: ${integration.patterns.map((p) => '`' + (integration.key + patternSuffix(p)) + '`').join(', ')}.`,
      '',
    );
  } else if (integration.patternDocs[r.pattern]) {
    lines.push(integration.patternDocs[r.pattern]!, '');
  }
  const output = integration.output[r.pattern];
  if (output) lines.push('**Output:** ' + output, '');
  if (integration.errors.length) {
    lines.push('**Errors:**');
    for (const e of integration.errors) lines.push(`- \`${e.name}\` — ${e.when}`);
    lines.push('');
  }
  const actions = iamActionsForState(state);
  const note = kubernetesRbacNote(state);
  if (actions.length) {
    lines.push('**IAM actions:** ' + actions.map((a) => '`' + a + '`').join(', '), '');
    const policy = policyForState(state, iamSettings(settings));
    // one line per statement keeps the hover short
    lines.push('```json', '[', policy.Statement.map((st) => '  ' + JSON.stringify(st)).join(',\n'), ']', '```');
    const inferred = inferredStatementsNote(policy.Statement);
    if (inferred) lines.push('', inferred);
  }
  if (note) lines.push('**Kubernetes access (no IAM):**', '', note);
  else if (integration.notes) lines.push('', integration.notes);
  return lines.join('\n');
}
