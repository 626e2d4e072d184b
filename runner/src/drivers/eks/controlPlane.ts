/**
 * EKS control-plane APIs locally (https://docs.aws.amazon.com/eks/latest/APIReference/Welcome.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html): clusters are kind clusters; node
 * groups and Fargate profiles are simulated (EKS response shapes, no work done).
 */
import { parse as parseYaml } from 'yaml';
import { StatesError } from '../../../../asl/src/types';
import type { TaskInvocation } from '../types';
import { CLUSTER_ACTIVE, CLUSTER_DELETING, DEFAULT_K8S_VERSION } from './constants';
import { Kind } from './kind';

type Params = Record<string, unknown>;

const str = (p: Params, k: string): string | undefined =>
  typeof p[k] === 'string' && p[k] ? (p[k] as string) : undefined;

function need(p: Params, ...keys: string[]): void {
  for (const k of keys)
    if (!str(p, k)) throw new StatesError('EKS.InvalidParameterException', `${k} is required (a non-empty string).`);
}

/** Endpoint and CA data of a kind cluster, from `kind get kubeconfig --name`. */
async function kubeconfigOf(
  kind: Kind,
  name: string,
  signal: AbortSignal,
): Promise<{ endpoint: string; caData: string }> {
  const text = await kind.run(['get', 'kubeconfig', '--name', name], signal);
  try {
    const kc = parseYaml(text) as {
      clusters?: Array<{ cluster?: { server?: string; 'certificate-authority-data'?: string } }>;
    };
    const c = kc.clusters?.[0]?.cluster ?? {};
    return { endpoint: c.server ?? '', caData: c['certificate-authority-data'] ?? '' };
  } catch {
    return { endpoint: '', caData: '' };
  }
}

/** DescribeCluster-shaped object (PascalCase, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html); timestamps in epoch milliseconds. */
function clusterShape(
  inv: TaskInvocation,
  p: Params,
  status: string,
  kc: { endpoint: string; caData: string },
): Record<string, unknown> {
  const { region, accountId: account } = inv;
  const name = str(p, 'Name')!;
  return {
    Name: name,
    Arn: `arn:aws:eks:${region}:${account}:cluster/${name}`,
    CreatedAt: Date.now(),
    Version: str(p, 'Version') ?? DEFAULT_K8S_VERSION,
    Endpoint: kc.endpoint,
    RoleArn: str(p, 'RoleArn') ?? `arn:aws:iam::${account}:role/eks-cluster-role`,
    ResourcesVpcConfig: {
      SubnetIds: [],
      SecurityGroupIds: [],
      EndpointPublicAccess: true,
      EndpointPrivateAccess: false,
      PublicAccessCidrs: ['0.0.0.0/0'],
      ...(p.ResourcesVpcConfig as object),
    },
    KubernetesNetworkConfig: { ServiceIpv4Cidr: '10.96.0.0/12', IpFamily: 'ipv4' },
    Logging: p.Logging ?? {
      ClusterLogging: [{ Types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], Enabled: false }],
    },
    Identity: { Oidc: { Issuer: `https://oidc.eks.${region}.amazonaws.com/id/LOCALKIND` } },
    Status: status,
    CertificateAuthority: { Data: kc.caData },
    PlatformVersion: 'eks.local-kind',
    Tags: p.Tags ?? {},
  };
}

/** createCluster(.sync): `kind create cluster --name <Name>` (kind works synchronously, so both patterns return ACTIVE). */
export async function createCluster(inv: TaskInvocation, p: Params, kind: Kind): Promise<unknown> {
  need(p, 'Name');
  const name = str(p, 'Name')!;
  if ((await kind.clusters(inv.signal)).includes(name))
    throw new StatesError('EKS.ResourceInUseException', `Cluster already exists with name: ${name}`);
  inv.log(`kind create cluster --name ${name}`, 'kind');
  await kind.run(['create', 'cluster', '--name', name], inv.signal);
  return { Cluster: clusterShape(inv, p, CLUSTER_ACTIVE, await kubeconfigOf(kind, name, inv.signal)) };
}

/** deleteCluster(.sync): `kind delete cluster --name <Name>`; the answer shows DELETING like EKS's DeleteCluster. */
export async function deleteCluster(inv: TaskInvocation, p: Params, kind: Kind): Promise<unknown> {
  need(p, 'Name');
  const name = str(p, 'Name')!;
  if (!(await kind.clusters(inv.signal)).includes(name))
    throw new StatesError('EKS.ResourceNotFoundException', `No cluster found for name: ${name}.`);
  const kc = await kubeconfigOf(kind, name, inv.signal);
  inv.log(`kind delete cluster --name ${name}`, 'kind');
  await kind.run(['delete', 'cluster', '--name', name], inv.signal);
  return { Cluster: clusterShape(inv, p, CLUSTER_DELETING, kc) };
}

/** createNodegroup / deleteNodegroup: simulated (kind's nodes are fixed at creation). */
export function nodegroup(inv: TaskInvocation, p: Params, deleting: boolean): unknown {
  need(p, 'ClusterName', 'NodegroupName');
  const { region, accountId: account } = inv;
  const cluster = str(p, 'ClusterName')!;
  const name = str(p, 'NodegroupName')!;
  const now = Date.now();
  return {
    Nodegroup: {
      NodegroupName: name,
      NodegroupArn: `arn:aws:eks:${region}:${account}:nodegroup/${cluster}/${name}/local`,
      ClusterName: cluster,
      Version: str(p, 'Version') ?? DEFAULT_K8S_VERSION,
      ReleaseVersion: str(p, 'ReleaseVersion') ?? `${DEFAULT_K8S_VERSION}.0-local`,
      CreatedAt: now,
      ModifiedAt: now,
      Status: deleting ? CLUSTER_DELETING : CLUSTER_ACTIVE,
      CapacityType: str(p, 'CapacityType') ?? 'ON_DEMAND',
      ScalingConfig: p.ScalingConfig ?? { MinSize: 1, MaxSize: 2, DesiredSize: 2 },
      InstanceTypes: p.InstanceTypes ?? ['t3.medium'],
      Subnets: p.Subnets ?? [],
      AmiType: str(p, 'AmiType') ?? 'AL2023_x86_64_STANDARD',
      NodeRole: str(p, 'NodeRole') ?? `arn:aws:iam::${account}:role/eks-node-role`,
      Labels: p.Labels ?? {},
      Taints: p.Taints ?? [],
      DiskSize: p.DiskSize ?? 20,
      Health: { Issues: [] },
      UpdateConfig: p.UpdateConfig ?? { MaxUnavailable: 1 },
      Tags: p.Tags ?? {},
    },
  };
}

/** createFargateProfile / deleteFargateProfile: simulated. */
export function fargateProfile(inv: TaskInvocation, p: Params, deleting: boolean): unknown {
  need(p, 'ClusterName', 'FargateProfileName');
  const { region, accountId: account } = inv;
  const cluster = str(p, 'ClusterName')!;
  const name = str(p, 'FargateProfileName')!;
  return {
    FargateProfile: {
      FargateProfileName: name,
      FargateProfileArn: `arn:aws:eks:${region}:${account}:fargateprofile/${cluster}/${name}/local`,
      ClusterName: cluster,
      CreatedAt: Date.now(),
      PodExecutionRoleArn: str(p, 'PodExecutionRoleArn') ?? `arn:aws:iam::${account}:role/eks-fargate-pods`,
      Subnets: p.Subnets ?? [],
      Selectors: p.Selectors ?? [],
      Status: deleting ? CLUSTER_DELETING : CLUSTER_ACTIVE,
      Tags: p.Tags ?? {},
    },
  };
}
