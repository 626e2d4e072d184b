/**
 * The JSON Step Functions returns for ecs:runTask: the RunTask response (request-response,
 * and TaskSubmitted of .sync / .waitForTaskToken) and the stopped task in DescribeTasks shape
 * (.sync output and failure cause). PascalCase keys, timestamps as epoch milliseconds. AWS's
 * pages show no output; these shapes follow execution histories recorded on AWS
 * (LocalStack's tests/aws/services/stepfunctions/v2/services/test_ecs_task_service.snapshot.json)
 * and a user-posted real output (umccr/elsa-data-aws-copy-out, fargate-run-task-construct.ts).
 */
import { randomUUID } from 'node:crypto';

/** One container of an emulated task. */
export interface ContainerRecord {
  name: string;
  image: string;
  containerArn: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  essential: boolean;
  exitCode?: number;
  reason?: string;
  imageDigest?: string;
  runtimeId?: string;
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
  privateIp?: string;
}

/** Everything the emulation knows about one task. */
export interface TaskRecord {
  taskId: string;
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  family: string;
  launchType?: string;
  capacityProviderName?: string;
  group: string;
  startedBy?: string;
  overrides: Record<string, unknown>;
  tags: unknown[];
  platformVersion?: string;
  enableExecuteCommand: boolean;
  availabilityZone: string;
  cpu?: string;
  memory?: string;
  lastStatus: 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEPROVISIONING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  stopCode?: 'TaskFailedToStart' | 'EssentialContainerExited' | 'UserInitiated';
  stoppedReason?: string;
  version: number;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  executionStoppedAt?: number;
  containers: ContainerRecord[];
}

/** Overrides as ECS echoes them: each container override gets its empty arrays (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html). */
export function echoOverrides(overrides: unknown): Record<string, unknown> {
  const o = overrides && typeof overrides === 'object' ? (overrides as Record<string, unknown>) : {};
  const containerOverrides = Array.isArray(o.ContainerOverrides) ? o.ContainerOverrides : [];
  return {
    ...o,
    ContainerOverrides: containerOverrides.map((c) => ({
      Command: [],
      Environment: [],
      EnvironmentFiles: [],
      ResourceRequirements: [],
      ...(c as Record<string, unknown>),
    })),
    InferenceAcceleratorOverrides: Array.isArray(o.InferenceAcceleratorOverrides)
      ? o.InferenceAcceleratorOverrides
      : [],
  };
}

function containerJson(t: TaskRecord, c: ContainerRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ContainerArn: c.containerArn,
    Cpu: String(c.cpu ?? 0),
  };
  if (c.exitCode !== undefined) out.ExitCode = c.exitCode;
  Object.assign(out, { GpuIds: [], Image: c.image });
  if (c.imageDigest) out.ImageDigest = c.imageDigest;
  out.LastStatus = c.lastStatus;
  out.ManagedAgents = [];
  if (c.memory !== undefined) out.Memory = String(c.memory);
  if (c.memoryReservation !== undefined) out.MemoryReservation = String(c.memoryReservation);
  out.Name = c.name;
  out.NetworkBindings = [];
  out.NetworkInterfaces = c.privateIp ? [{ AttachmentId: t.taskId, PrivateIpv4Address: c.privateIp }] : [];
  if (c.reason) out.Reason = c.reason;
  if (c.runtimeId) out.RuntimeId = c.runtimeId;
  out.TaskArn = t.taskArn;
  return out;
}

/** The task object (DescribeTasks / RunTask `Tasks[]` element), keys in AWS's order. */
export function taskJson(t: TaskRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Attachments: [],
    Attributes: [],
    AvailabilityZone: t.availabilityZone,
  };
  if (t.capacityProviderName) out.CapacityProviderName = t.capacityProviderName;
  out.ClusterArn = t.clusterArn;
  out.Connectivity = 'CONNECTED';
  out.ConnectivityAt = t.createdAt;
  out.Containers = t.containers.map((c) => containerJson(t, c));
  if (t.cpu !== undefined) out.Cpu = t.cpu;
  out.CreatedAt = t.createdAt;
  out.DesiredStatus = t.desiredStatus;
  out.EnableExecuteCommand = t.enableExecuteCommand;
  if (t.launchType === 'FARGATE') out.EphemeralStorage = { SizeInGiB: 20 };
  if (t.executionStoppedAt !== undefined) out.ExecutionStoppedAt = t.executionStoppedAt;
  out.Group = t.group;
  out.InferenceAccelerators = [];
  out.LastStatus = t.lastStatus;
  if (t.launchType) out.LaunchType = t.launchType;
  if (t.memory !== undefined) out.Memory = t.memory;
  out.Overrides = t.overrides;
  if (t.platformVersion) out.PlatformVersion = t.platformVersion;
  if (t.pullStartedAt !== undefined) out.PullStartedAt = t.pullStartedAt;
  if (t.pullStoppedAt !== undefined) out.PullStoppedAt = t.pullStoppedAt;
  if (t.startedAt !== undefined) out.StartedAt = t.startedAt;
  if (t.startedBy) out.StartedBy = t.startedBy;
  if (t.stopCode) out.StopCode = t.stopCode;
  if (t.stoppedAt !== undefined) out.StoppedAt = t.stoppedAt;
  if (t.stoppedReason) out.StoppedReason = t.stoppedReason;
  if (t.stoppingAt !== undefined) out.StoppingAt = t.stoppingAt;
  out.Tags = t.tags;
  out.TaskArn = t.taskArn;
  out.TaskDefinitionArn = t.taskDefinitionArn;
  out.Version = t.version;
  return out;
}

/**
 * The RunTask response as the optimized integration returns it: Tasks, Failures, plus the
 * SDK metadata Step Functions adds (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html).
 */
export function runTaskResponse(tasks: TaskRecord[]): Record<string, unknown> {
  const requestId = randomUUID();
  const body = { Tasks: tasks.map(taskJson), Failures: [] as unknown[] };
  const headers: Record<string, string> = {
    'Content-Length': String(Buffer.byteLength(JSON.stringify(body))),
    'Content-Type': 'application/x-amz-json-1.1',
    Date: new Date().toUTCString(),
    'x-amzn-RequestId': requestId,
  };
  const all = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  return {
    ...body,
    SdkHttpMetadata: { AllHttpHeaders: all, HttpHeaders: headers, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}
