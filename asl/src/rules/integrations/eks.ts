/**
 * eks:runJob specifics (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html, https://kubernetes.io/docs/concepts/workloads/controllers/job/): EKS506 LogOptions on a runJob that is
 * not `.sync` (ignored); EKS507 a Job that is not `apiVersion: batch/v1`, `kind: Job`;
 * EKS508 a pod template whose restartPolicy is not Never or OnFailure.
 */
import type { AstNode, StateInfo } from '../../types';
import type { Rule, RuleContext } from '../types';
import { getValue, keyNode } from '../../parse/tree';
import { isJsonataString, span } from '../util';
import { payloadNode } from './payload';

export const eks: Rule = {
  codes: {
    EKS506: { severity: 'warning', title: 'LogOptions only applies to eks:runJob.sync' },
    EKS507: { severity: 'error', title: 'eks:runJob only runs batch/v1 Jobs' },
    EKS508: { severity: 'error', title: 'Job pod restartPolicy must be Never or OnFailure' },
  },
  checkState(s, ctx) {
    if (
      s.type === 'Task' &&
      s.resource?.kind === 'optimized' &&
      s.resource.key === 'eks:runJob' &&
      s.node.type === 'object'
    )
      checkRunJob(s, ctx);
  },
};

function checkRunJob(s: StateInfo, ctx: RuleContext): void {
  const { node } = payloadNode(s);
  if (!node || node.type !== 'object') return;
  const logKey = keyNode(node, 'LogOptions') ?? keyNode(node, 'LogOptions.$');
  if (logKey && s.resource?.pattern !== 'sync') {
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html: logs are only retrieved when the task waits for the Job (.sync)
    ctx.report({
      code: 'EKS506',
      ...span(logKey),
      message: "'LogOptions' is ignored: logs are only retrieved by 'eks:runJob.sync'.",
      tags: ['unnecessary'],
      data: { remove: true },
    });
  }
  const job = getValue(node, 'Job');
  if (!job || job.type !== 'object') return; // JSON-text or dynamic Jobs are checked at run time
  const jobKey = keyNode(node, 'Job')!;
  for (const [field, want] of [
    ['apiVersion', 'batch/v1'],
    ['kind', 'Job'],
  ] as const) {
    if (keyNode(job, field + '.$')) continue;
    const v = getValue(job, field);
    if (!v) {
      ctx.report({
        code: 'EKS507',
        ...span(jobKey),
        message: `The Job manifest needs "${field}": "${want}".`,
        data: { missing: [field], value: want },
      });
    } else if (!isJsonataString(v) && v.value !== want) {
      ctx.report({
        code: 'EKS507',
        ...span(v),
        message: `eks:runJob only runs Kubernetes Jobs: '${field}' must be "${want}"; use eks:call for other resources.`,
        data: { replaceWith: want },
      });
    }
  }
  const podSpec = getValue(getValue(getValue(job, 'spec'), 'template'), 'spec');
  if (!podSpec || podSpec.type !== 'object' || keyNode(podSpec, 'restartPolicy.$')) return;
  const rp = getValue(podSpec, 'restartPolicy');
  if (!rp) {
    // https://kubernetes.io/docs/concepts/workloads/controllers/job/: the pod default (Always) is invalid for a Job, the API server rejects it
    ctx.report({
      code: 'EKS508',
      ...anchor(podSpec),
      message:
        'A Job pod template needs "restartPolicy": "Never" or "OnFailure" (the default, Always, is rejected for Jobs).',
      data: { missing: ['restartPolicy'], suggestions: ['Never', 'OnFailure'] },
    });
  } else if (!isJsonataString(rp) && rp.value !== 'Never' && rp.value !== 'OnFailure') {
    ctx.report({
      code: 'EKS508',
      ...span(rp),
      message: 'A Job\'s pod \'restartPolicy\' must be "Never" or "OnFailure".',
      data: { suggestions: ['Never', 'OnFailure'], replaceWith: 'Never' },
    });
  }
}

function anchor(obj: AstNode): { offset: number; length: number } {
  const p = obj.parent;
  const k = p?.type === 'property' ? p.children?.[0] : undefined;
  return k ? span(k) : { offset: obj.offset, length: 1 };
}
