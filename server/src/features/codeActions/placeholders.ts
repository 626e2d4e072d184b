/**
 * Placeholder values inserted by "add missing field/parameter" fixes: values that pass
 * validation and are obviously meant to be replaced.
 */
import { schemaViews } from '../../../../asl/src/schemas';
import type { StateInfo } from '../../../../asl/src/types';

const ROLE = 'arn:aws:iam::123456789012:role/REPLACE_ME';

/** A minimal valid batch/v1 Job manifest (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html, https://kubernetes.io/docs/concepts/workloads/controllers/job/). */
export const JOB_PLACEHOLDER = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'my-job' },
  spec: {
    backoffLimit: 0,
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'main', image: 'public.ecr.aws/docker/library/busybox:latest', command: ['echo', 'hello'] },
        ],
      },
    },
  },
};

const BY_NAME: Record<string, unknown> = {
  TaskDefinition: 'my-task-family',
  ClusterName: 'my-cluster',
  CertificateAuthority: 'REPLACE_WITH_BASE64_CA_DATA',
  Endpoint: 'https://REPLACE_ME.gr7.us-east-1.eks.amazonaws.com',
  Job: JOB_PLACEHOLDER,
  Method: 'GET',
  Path: '/api/v1/namespaces/default/pods',
  RoleArn: ROLE,
  NodeRole: ROLE,
  PodExecutionRoleArn: ROLE,
  ResourcesVpcConfig: { SubnetIds: ['subnet-0123456789abcdef0'] },
  FargateProfileName: 'my-fargate-profile',
  NodegroupName: 'my-nodegroup',
  Subnets: ['subnet-0123456789abcdef0'],
  restartPolicy: 'Never',
  apiVersion: 'batch/v1',
  kind: 'Job',
  TimeoutSeconds: 3600,
  HeartbeatSeconds: 60,
  Seconds: 10,
  End: true,
  ErrorEquals: ['States.ALL'],
  Variable: '$.value',
  Condition: '{% true %}',
  Comment: '',
};

/** The placeholder for field `name`; `state` gives context (Type, Next), `schemaId/path` the type. */
export function placeholderFor(
  name: string,
  opts: { state?: StateInfo; schemaId?: string; path?: (string | number)[]; value?: unknown } = {},
): unknown {
  if (opts.value !== undefined) return opts.value;
  const st = opts.state;
  if (name === 'Type')
    return st?.node.type === 'object' && (st.node.children ?? []).some((p) => p.children?.[0]?.value === 'Resource')
      ? 'Task'
      : 'Pass';
  if (name === 'Next' || name === 'Default') {
    if (!st) return undefined;
    const other = st.scope.stateList.find((s) => s !== st && s.name);
    return other?.name;
  }
  if (name === 'Name' && opts.path?.includes('ContainerOverrides')) return 'app';
  // structural fields of states: the smallest valid content (state names unique in the machine)
  const unique = (base: string) => {
    const taken = new Set(st?.scope.stateList.map((s) => s.name) ?? []);
    let n = base;
    for (let i = 2; taken.has(n); i++) n = `${base} ${i}`;
    return n;
  };
  if (name === 'Resource' && !opts.schemaId) return 'arn:aws:states:us-east-1:123456789012:activity:REPLACE_ME';
  if (name === 'Branches') {
    const b = unique('Branch 1');
    return [{ StartAt: b, States: { [b]: { Type: 'Pass', End: true } } }];
  }
  if (name === 'ItemProcessor') {
    const b = unique('Process item');
    return { StartAt: b, States: { [b]: { Type: 'Pass', End: true } } };
  }
  if (name === 'Choices') {
    const next = st?.scope.stateList.find((s) => s !== st)?.name;
    return next ? [{ Variable: '$.value', IsPresent: true, Next: next }] : undefined;
  }
  if (name in BY_NAME) return BY_NAME[name];
  if (name === 'Name') return 'my-name';
  if (opts.schemaId) {
    for (const v of schemaViews(opts.schemaId, [...(opts.path ?? []), name])) {
      if (Array.isArray(v.enum) && v.enum.length) return v.enum[0];
      const t = Array.isArray(v.type) ? v.type[0] : v.type;
      if (t === 'string') return 'REPLACE_ME';
      if (t === 'integer' || t === 'number') return typeof v.minimum === 'number' ? v.minimum : 1;
      if (t === 'boolean') return false;
      if (t === 'array') return [];
      if (t === 'object') return {};
    }
  }
  return 'REPLACE_ME';
}
