/**
 * Every custom LSP request/notification of asl-workbench, declared once (client and server
 * import this file). Each entry says which way it travels.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** server -> client: diagnostics of a document were (re)computed; used by tests and the status bar. */
export interface DiagnosticsComputedParams {
  uri: string;
  version: number;
  count: number;
  /** time spent parsing + validating, ms */
  elapsedMs: number;
  /** when the diagnostics were sent, ms since the server process started (start-up figures) */
  sinceStartMs?: number;
}

/**
 * Start-up figures the server adds to its `initialize` result as `aslWorkbenchStartup`, so the
 * client can report each part of the time to the first diagnostics. Times are ms since the
 * server process started; `processStart` is that moment as epoch ms (`performance.timeOrigin`).
 */
export interface ServerStartupTimes {
  processStart: number;
  /** the bundle was loaded and the connection created */
  loadedMs: number;
  /** `initialize` arrived */
  initializeMs: number;
}
export const STARTUP_RESULT_KEY = 'aslWorkbenchStartup';
export const DiagnosticsComputedNotification = new NotificationType<DiagnosticsComputedParams>(
  'aslWorkbench/diagnosticsComputed',
);

// ---------------------------------------------------------------- IAM (language features)

/** client -> server: the IAM policy Step Functions would generate for an open document or one of its states. */
export interface IamPolicyParams {
  uri: string;
  /** in a template or Terraform file: the state machine's id (EmbeddedMachineInfo.id); may be omitted when it holds one */
  machine?: string;
  /** a state name: only that state's policy; omitted: the whole machine */
  state?: string;
}
export interface IamPolicyResult {
  /** the policy document `{ Version, Statement }` */
  policy: { Version: string; Statement: unknown[] };
  /** the same policy as pretty JSON text (what the client opens in a new editor) */
  json: string;
  /** notes that go with it: which statements are inferred (key `iam`), Kubernetes RBAC for eks:runJob/eks:call, roles to pass... */
  notes: { key: string; states: string[]; note: string }[];
  region: string;
  account: string;
}
export const IamPolicyRequest = new RequestType<IamPolicyParams, IamPolicyResult | null, void>(
  'aslWorkbench/iamPolicy',
);

/**
 * Commands carried by the IAM code lenses / code actions. They are implemented by the CLIENT
 * (the server does not declare them in executeCommandProvider): it sends IamPolicyRequest and
 * opens `json` in a new untitled JSON editor.
 * - GENERATE_IAM_POLICY_COMMAND arguments: [uri, machine?]
 * - SHOW_STATE_IAM_POLICY_COMMAND arguments: [uri, stateName, machine?]
 * (`machine`: the state machine's id when `uri` is a template or Terraform file)
 */
export const GENERATE_IAM_POLICY_COMMAND = 'aslWorkbench.generateIamPolicy';
export const SHOW_STATE_IAM_POLICY_COMMAND = 'aslWorkbench.showStateIamPolicy';
/** CodeAction kind of the "Generate IAM policy for this state machine" source action. */
export const GENERATE_IAM_POLICY_KIND = 'source.generateIamPolicy';

// ---------------------------------------------------------------- state graph (graph preview)

/** client -> server: the state graph of an open document (the version the server has now). */
export interface StateGraphParams {
  uri: string;
  /** in a template or Terraform file: the state machine's id; may be omitted when it holds one */
  machine?: string;
}
export interface StateGraphResult {
  /** the document version the graph was built from */
  version: number;
  graph: import('../../asl/src/graph/types').StateGraph;
}
/** Answers null when the document is not open on the server. */
export const StateGraphRequest = new RequestType<StateGraphParams, StateGraphResult | null, void>(
  'aslWorkbench/stateGraph',
);

// ---------------------------------------------------------------- state machines in templates

/**
 * A state machine inside a template or Terraform file is named by the file's uri with the
 * fragment `asl-machine=<id>` (the server's features and the client's graph panels, runs and
 * IAM documents all key on it); over the wire the file's uri and `machine: <id>` travel apart.
 */
export const MACHINE_URI_FRAGMENT = 'asl-machine=';

/** client -> server: the state machines of an open template or Terraform file. */
export interface EmbeddedMachinesParams {
  uri: string;
}
/** One state machine held in a template (CloudFormation/SAM/CDK) or a Terraform file. */
export interface EmbeddedMachineInfo {
  /** CloudFormation logical id, or Terraform address `aws_sfn_state_machine.<name>` */
  id: string;
  hostKind: 'cloudformation' | 'sam' | 'cdk' | 'terraform';
  /** where the definition is in the file */
  range: import('vscode-languageserver-protocol').Range;
  /** the definition's own text and its format (what Run Locally runs) */
  definition: string;
  format: 'json' | 'yaml';
  /** values the file gives its placeholders (DefinitionSubstitutions literals, Terraform variables) */
  substitutions: Record<string, string | number | boolean>;
  /** every placeholder name the definition uses, in order */
  placeholders: string[];
  /**
   * values a local run gives placeholders a deployment fills by itself (CloudFormation pseudo
   * parameters such as `AWS::Region`): local behaviour, not AWS's
   */
  localValues: Record<string, string>;
  /** the file the definition is read from, relative to the template (DefinitionUri, file(...)) */
  definitionFile?: string;
}
export interface EmbeddedMachinesResult {
  version: number;
  machines: EmbeddedMachineInfo[];
}
/** Answers null when the document is not open on the server; `machines: []` for a file without state machines. */
export const EmbeddedMachinesRequest = new RequestType<EmbeddedMachinesParams, EmbeddedMachinesResult | null, void>(
  'aslWorkbench/embeddedMachines',
);
