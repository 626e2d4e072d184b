/**
 * Task Resource and integration pattern rules (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html, https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html):
 * ECS401/EKS501 unknown action; ECS402/EKS502 pattern not supported by the action (also
 * `aws-sdk:ecs|eks:*.sync`); ASL404 `.sync` on any other AWS SDK integration; ASL405 Resource
 * not recognised; ASL406 JSONata in Resource; ASL407 invalid Lambda function ARN; ASL401 `.waitForTaskToken` that never passes the
 * task token (warning); ASL402 callback/.sync without TimeoutSeconds/HeartbeatSeconds (hint);
 * ASL403 `.sync`/`.waitForTaskToken` in an EXPRESS machine.
 */
import type { AstNode, ParsedResource, StateInfo } from '../../types';
import { lambdaArnProblem } from '../../resource';
import { valueSpan } from '../stringOffsets';
import type { Rule, RuleContext } from '../types';
import { getValue, keyNode } from '../../parse/tree';
import { didYouMean, didYouMeanText, isJsonataString, span } from '../util';
import { actionsOf, findAction, isCheckedService } from './catalog';

const PATTERN_TEXT = {
  requestResponse: 'request-response',
  sync: '.sync',
  waitForTaskToken: '.waitForTaskToken',
} as const;

export const taskPatterns: Rule = {
  codes: {
    ECS401: { severity: 'error', title: 'Unknown Amazon ECS integration action' },
    EKS501: { severity: 'error', title: 'Unknown Amazon EKS integration action' },
    ECS402: { severity: 'error', title: 'Integration pattern not supported by this ECS resource' },
    EKS502: { severity: 'error', title: 'Integration pattern not supported by this EKS resource' },
    ASL401: { severity: 'warning', title: '.waitForTaskToken without passing the task token' },
    ASL402: { severity: 'hint', title: 'Long-running task without TimeoutSeconds or HeartbeatSeconds' },
    ASL403: { severity: 'error', title: '.sync / .waitForTaskToken in an EXPRESS state machine' },
    ASL404: { severity: 'error', title: '.sync is not supported by AWS SDK integrations' },
    ASL405: { severity: 'warning', title: 'Unrecognised Resource' },
    ASL406: { severity: 'error', title: 'Resource must be a constant string' },
    ASL407: { severity: 'error', title: 'Invalid Lambda function ARN' },
  },
  checkState(s, ctx) {
    if (s.type !== 'Task' || s.node.type !== 'object') return;
    const node = getValue(s.node, 'Resource');
    if (!node || node.type !== 'string') return;
    if (isJsonataString(node)) {
      // https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html: Resource cannot use JSONata; it must be a constant
      ctx.report({
        code: 'ASL406',
        ...span(node),
        message: 'Resource must be a constant string: JSONata expressions are not allowed in it.',
      });
      return;
    }
    const r = s.resource;
    if (r) checkResource(s, r, node, ctx);
  },
};

/** Range of the `.sync` / `.waitForTaskToken` suffix inside the Resource string. */
function suffixSpan(ctx: RuleContext, node: AstNode, raw: string): { offset: number; length: number } {
  const m = /\.(sync(:2)?|waitForTaskToken)$/.exec(raw);
  return m ? valueSpan(ctx.model.doc, node, m.index, m[0].length) : span(node);
}

function actionSpan(ctx: RuleContext, node: AstNode, raw: string, action: string): { offset: number; length: number } {
  const i = raw.lastIndexOf(action);
  return i >= 0 ? valueSpan(ctx.model.doc, node, i, action.length) : span(node);
}

function checkResource(s: StateInfo, r: ParsedResource, node: AstNode, ctx: RuleContext): void {
  const raw = r.raw;
  if (r.kind === 'unknown') {
    // "${LambdaArn}"-style placeholders are filled in by SAM/CDK/Terraform before deployment
    if (raw.includes('${')) return;
    const lambda = lambdaArnProblem(raw);
    if (lambda) {
      // Step Functions rejects such a definition (invalid Resource ARN), so it is an error, not ASL405's warning
      ctx.report({
        code: 'ASL407',
        ...valueSpan(ctx.model.doc, node, lambda.offset, lambda.length),
        message: lambda.message,
        data: lambda.fix ? { replaceWith: lambda.fix, target: 'value' } : undefined,
      });
      return;
    }
    ctx.report({
      code: 'ASL405',
      ...span(node),
      message: `'${raw}' is not a recognised Task resource: expected arn:<partition>:states:::<service>:<action>[.sync|.waitForTaskToken], an AWS SDK integration, a Lambda function ARN or an activity ARN.`,
    });
    return;
  }
  if (r.kind === 'optimized' && isCheckedService(r.service)) {
    const known = findAction(r.key);
    const prefix = r.service === 'ecs' ? 'ECS4' : 'EKS5';
    if (!known) {
      const suggestions = didYouMean(r.action ?? '', actionsOf(r.service));
      const fixed = suggestions.map((a) => raw.replace(`:${r.service}:${r.action}`, `:${r.service}:${a}`));
      ctx.report({
        code: `${prefix}01`,
        ...actionSpan(ctx, node, raw, r.action ?? ''),
        message: `'${r.service}:${r.action}' is not a Step Functions integration for Amazon ${r.service.toUpperCase()}. Supported: ${actionsOf(r.service).join(', ')}.${didYouMeanText(suggestions)}`,
        data: fixed.length ? { replaceWith: fixed[0], suggestions: fixed, target: 'value' } : undefined,
      });
      return;
    }
    if (!known.patterns.includes(r.pattern)) {
      const base = raw.replace(/\.(sync(:2)?|waitForTaskToken)$/, '');
      // a callback task waits for its work: `.sync`, which also waits, is the closest replacement
      const order =
        r.pattern === 'waitForTaskToken'
          ? [...known.patterns.filter((p) => p === 'sync'), ...known.patterns.filter((p) => p !== 'sync')]
          : known.patterns;
      const suggestions = order.map(
        (p) => base + (p === 'sync' ? '.sync' : p === 'waitForTaskToken' ? '.waitForTaskToken' : ''),
      );
      ctx.report({
        code: `${prefix}02`,
        ...suffixSpan(ctx, node, raw),
        message: `'${known.key}' does not support the ${PATTERN_TEXT[r.pattern]} pattern; it supports ${known.patterns.map((p) => PATTERN_TEXT[p]).join(', ')}.${order[0] === 'sync' && r.pattern === 'waitForTaskToken' ? ' Use .sync to wait until the work finishes.' : ''}`,
        data: { replaceWith: suggestions[0], suggestions, target: 'value' },
      });
      return;
    }
  }
  if (r.kind === 'sdk' && r.pattern === 'sync') {
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html: AWS SDK integrations support request-response and .waitForTaskToken only
    const code = r.service === 'ecs' ? 'ECS402' : r.service === 'eks' ? 'EKS502' : 'ASL404';
    const hint =
      r.service === 'ecs' ? " Use the optimized 'arn:aws:states:::ecs:runTask.sync' to wait for the task." : '';
    ctx.report({
      code,
      ...suffixSpan(ctx, node, raw),
      message: `AWS SDK integrations ('aws-sdk:${r.service}:${r.action}') do not support .sync.${hint}`,
      data: { replaceWith: raw.replace(/\.sync(:2)?$/, ''), target: 'value' },
    });
    return;
  }
  if (r.pattern === 'sync' || r.pattern === 'waitForTaskToken') checkLongRunning(s, r, node, ctx);
}

function checkLongRunning(s: StateInfo, r: ParsedResource, node: AstNode, ctx: RuleContext): void {
  const obj = s.node;
  if (ctx.options.machineType === 'EXPRESS') {
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html; AWS's ValidateStateMachineDefinition answers "Express state machine does not support '.waitForTaskToken' service integration"
    ctx.report({
      code: 'ASL403',
      ...suffixSpan(ctx, node, r.raw),
      message: `Express state machines do not support '${PATTERN_TEXT[r.pattern]}' service integrations: only request-response is allowed.`,
      data: { replaceWith: r.raw.replace(/\.(sync(:2)?|waitForTaskToken)$/, ''), target: 'value' },
    });
  }
  if (r.pattern === 'waitForTaskToken' && !passesToken(s)) {
    // an execution recorded on AWS (LocalStack's test_callback.snapshot.json): a callback task
    // without the token starts fine and can only end in States.Timeout
    const payload = s.queryLanguage === 'JSONata' ? 'Arguments' : 'Parameters';
    const example =
      s.queryLanguage === 'JSONata' ? '"{% $states.context.Task.Token %}"' : '"<Name>.$": "$$.Task.Token"';
    ctx.report({
      code: 'ASL401',
      ...span(node),
      message: `This .waitForTaskToken task never passes the task token in '${payload}' (e.g. ${example}), so nothing can call SendTaskSuccess: it can only time out.`,
    });
  }
  const hasLimit = ['TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath'].some((f) =>
    keyNode(obj, f),
  );
  if (!hasLimit) {
    ctx.report({
      code: 'ASL402',
      ...span(keyNode(obj, 'Resource') ?? node),
      message: `This ${PATTERN_TEXT[r.pattern]} task has no TimeoutSeconds or HeartbeatSeconds: if the ${r.pattern === 'sync' ? 'job' : 'callback'} never completes, the state waits up to the execution limit (one year).`,
      data: { missing: ['TimeoutSeconds'] },
    });
  }
}

const JSONPATH_TOKEN = '$$.Task.Token';
/** The whole context object (or its Task) carries the token too: the human approval sample passes `"ExecutionContext.$": "$$"`. */
const JSONPATH_TOKEN_HOLDER = /^\$\$(\.Task)?$/;
const JSONATA_TOKEN = /\$states\.context(\.Task(\.Token)?)?(?![\w.])/;

/** True when Parameters/Arguments pass the task token somewhere (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html). */
export function passesToken(s: StateInfo): boolean {
  const root = getValue(s.node, s.queryLanguage === 'JSONata' ? 'Arguments' : 'Parameters');
  if (!root) return false;
  const stack: AstNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'string') {
      const v = String(n.value);
      if (
        s.queryLanguage === 'JSONata'
          ? JSONATA_TOKEN.test(v)
          : (v.includes(JSONPATH_TOKEN) || JSONPATH_TOKEN_HOLDER.test(v)) && isDollarValue(n)
      )
        return true;
    }
    for (const c of n.children ?? []) stack.push(c);
  }
  return false;
}

/** A string that is the value of a `.$` key. */
function isDollarValue(n: AstNode): boolean {
  const p = n.parent;
  return p?.type === 'property' && p.children?.[1] === n && String(p.children[0]?.value ?? '').endsWith('.$');
}
