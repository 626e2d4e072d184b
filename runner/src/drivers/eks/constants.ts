/**
 * Every choice asl-workbench makes where AWS does not document the EKS integration's behaviour
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html leaves them open), plus the local defaults, in one place so they are easy to change.
 * docs/eks-local.md explains each one.
 */

/** Kubernetes namespace when the state gives none (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html: default `default`). */
export const DEFAULT_NAMESPACE = 'default';

/**
 * Error name when a `.sync` Job ends with the Failed condition. AWS does not document it;
 * we follow the ECS `.sync` failure (`States.TaskFailed`, recorded on AWS in LocalStack's
 * tests/aws/services/stepfunctions/v2/services/test_ecs_task_service.snapshot.json) with the Job
 * JSON (status and, when requested, logs) as cause.
 */
export const JOB_FAILED_ERROR = 'States.TaskFailed';

/** Prefix of Kubernetes API errors (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html: `EKS.<HTTP status>`, cause {ResponseBody, StatusCode, StatusText}). */
export const K8S_ERROR_PREFIX = 'EKS.';

/**
 * On stop / TimeoutSeconds / a failing sibling, the Job of a running `.sync` state is
 * deleted with this propagation policy (so its pods go too). AWS does not say what it does.
 */
export const ABORT_DELETE_PROPAGATION = 'Foreground';

/** Also delete the Job of a request-response runJob when the execution is stopped? No: it was handed over. */
export const DELETE_RR_JOB_ON_ABORT = false;

/** Error when eks:call (or a kubernetes-mode runJob) has no reachable cluster. */
export const NO_CLUSTER_ERROR = 'AslWorkbench.NoCluster';

/** Error when the kind CLI is needed but cannot be found or fails. */
export const KIND_ERROR = 'AslWorkbench.KindFailed';

/** Jobs on containers: an image is neither local nor pullable (a cluster would stay in ImagePullBackOff). */
export const IMAGE_UNAVAILABLE_ERROR = 'AslWorkbench.ImageUnavailable';

/** Error for a runJob parameter Kubernetes itself would reject (EKS.400-like, raised before any call). */
export const INVALID_JOB_ERROR = 'EKS.400';

/** How to point at a cluster (appended to NO_CLUSTER_ERROR messages). */
export const POINT_AT_CLUSTER_HINT =
  'point at a cluster: set clusters.<ClusterName>.context in asl-workbench.run.json or the setting aslWorkbench.kubernetes.context';

/** Message when kind is needed but absent (names the setting, STYLE "Spawning tools"). */
export const KIND_MISSING_HINT =
  'kind was not found on PATH; install it (https://kind.sigs.k8s.io/) or set aslWorkbench.kind.path (kubernetes.kindPath in asl-workbench.run.json)';

/**
 * `.sync` watch: a watch request lasts at most this long before it is renewed (the API
 * server's own default timeout is longer; shorter keeps a lost connection from going unseen).
 */
export const WATCH_TIMEOUT_SECONDS = 60;

/** Poll interval when the watch API is not available (AWS polls about once a minute, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html; locally faster). */
export const POLL_INTERVAL_MS = 1000;

/** How long to wait for the API server when probing whether a context is reachable. */
export const PROBE_TIMEOUT_MS = 2000;

/** Jobs on containers: grace period before SIGKILL when a pod is stopped. */
export const POD_STOP_TIMEOUT_SECONDS = 1;

/** Jobs on containers: a Job's backoffLimit when its spec gives none (Kubernetes default 6). */
export const DEFAULT_BACKOFF_LIMIT = 6;

/** Label value of LABELS.kind on Jobs-on-containers pods. */
export const K8S_JOB_KIND = 'k8s-job';

/**
 * Control-plane APIs on kind (AWS does not document how their `.sync` fails): `.sync` and request-response both return the final
 * shape (kind creates synchronously); node groups and Fargate profiles are simulated.
 */
export const CLUSTER_ACTIVE = 'ACTIVE';
export const CLUSTER_DELETING = 'DELETING';

/** Kubernetes version reported for kind clusters when the kubeconfig does not say (EKS `Version`). */
export const DEFAULT_K8S_VERSION = '1.31';
