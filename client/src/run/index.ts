/**
 * Run Locally: the `aslWorkbench.runLocally` / `aslWorkbench.stopExecution`
 * commands (editor title, code lens, palette), the Executions view, the asl-exec: documents
 * and the "something is missing" actions. Executions run in a forked dist/runWorker.js, so
 * the extension host never blocks. Registered from extension.ts with one call.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { GraphNode } from '../../../asl/src/graph/types';
import { StateGraphRequest } from '../../../server/src/protocol';
import { registerSaveCase, saveAsTestCase, type TopLevelStates } from '../testing/saveCase';
import { requireTrust } from '../trust';
import {
  commandArgs,
  commandMachine,
  machineErrors,
  requestTarget,
  runSubstitutions,
  splitMachineUri,
} from '../templates';
import { RUN_COMMAND, RunCodeLens } from './codeLens';
import { executionDocUri, eventDocUri, EXEC_SCHEME, ExecutionContent } from './content';
import { RunController, type ExecutionRecord, type OverlaySink } from './controller';
import { offerFix } from './fixes';
import { finishedMessage, invalidMachineDetail } from './format';
import { eventDetails } from './overlay';
import { pickInput, pickTestCase, rememberInput, runConfigFor, workerOptions } from './prepare';
import { clusterNamesIn, problemOf } from './problems';
import { EXECUTIONS_VIEW, ExecutionsTree, SHOW_EVENT_COMMAND, type ExecutionNode } from './tree';

/** The actions of the "finished" notification. */
export const SHOW_OUTPUT = 'Show Output';
export const SHOW_IN_EXECUTIONS = 'Show in Executions';
export const SAVE_AS_TEST_CASE = 'Save as Test Case';
export const STOP_COMMAND = 'aslWorkbench.stopExecution';

/**
 * Argument of `aslWorkbench.runLocally` besides a Uri: everything given is not asked for
 * (tests and other extensions run without UI). `testCase: null` = real tasks, no mocks.
 */
export interface RunArgs {
  /** the machine file, or a template's machine uri (client/src/templates.ts) */
  uri: vscode.Uri | string;
  input?: unknown;
  testCase?: string | null;
  /** 1 real time (default), 0 skips Wait/Retry delays */
  timeScale?: number;
  /** offer the "something is missing" actions after a failure (default: only when asked interactively) */
  offerFixes?: boolean;
}

/** What the run-locally UI exposes on the extension's API (tests read it). */
export interface RunLocallyApi {
  /** Runs like the command; resolves to the started execution (undefined: cancelled / refused). */
  run(args: RunArgs | vscode.Uri | undefined): Promise<ExecutionRecord | undefined>;
  readonly controller: RunController;
  readonly tree: ExecutionsTree;
  readonly content: ExecutionContent;
  /** Stops every running execution and waits for the clean-up (deactivate). */
  stopAll(): Promise<void>;
  /** Selects an execution in the Executions view. */
  reveal(id: string): Promise<void>;
}

/** The graph preview surface this module uses (client/src/graph). */
export interface GraphPreviewLike extends OverlaySink {
  panelFor?(uri: vscode.Uri): vscode.WebviewPanel | undefined;
}

/** The state nodes of a machine's graph (ids for the overlay); undefined when the server does not answer soon. */
export async function stateGraph(client: LanguageClient, uri: vscode.Uri): Promise<readonly GraphNode[] | undefined> {
  try {
    const r = await Promise.race([
      client.sendRequest(StateGraphRequest, requestTarget(uri)),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 3000)),
    ]);
    return r?.graph.nodes;
  } catch {
    return undefined;
  }
}

/** Registers commands, view, code lens and content provider; returns the API. */
export function registerRunLocally(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  graph: GraphPreviewLike,
): RunLocallyApi {
  const controller = new RunController(context.extensionUri, graph);
  const tree = new ExecutionsTree(controller);
  const content = new ExecutionContent(controller);
  const view = vscode.window.createTreeView(EXECUTIONS_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  void vscode.commands.executeCommand('setContext', 'aslWorkbench.runLocallyActive', true);
  const topLevelStates: TopLevelStates = async (machine) => {
    const nodes = await stateGraph(client, machine);
    return nodes && new Set(nodes.filter((n) => n.kind === 'state' && n.parent === undefined).map((n) => n.name));
  };
  registerSaveCase(context, controller, topLevelStates);

  const run = async (arg: RunArgs | vscode.Uri | undefined): Promise<ExecutionRecord | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void requireTrust('Run Locally'); // not awaited: the message must not block the caller
      return undefined;
    }
    const { args, uri } = commandArgs(arg);
    const interactive = !args || args.input === undefined;
    const machine = await commandMachine(client, uri, 'Run Locally', 'run it locally');
    if (!machine) return undefined;
    const { template, document: doc, uri: target, definition: definitionText } = machine;
    const file = doc.uri.fsPath;
    if (interactive) {
      const errors = machineErrors(client, machine);
      if (errors.length) {
        const go = await vscode.window.showWarningMessage(
          `${vscode.workspace.asRelativePath(doc.uri)} is invalid; the run may fail.`,
          { modal: true, detail: invalidMachineDetail(errors) },
          'Run Anyway',
        );
        if (!go) return undefined;
      }
    }
    const input = args?.input !== undefined ? { value: args.input } : await pickInput(target, context.workspaceState);
    if (!input) return undefined;
    const testCase = args && 'testCase' in args ? (args.testCase ?? null) : await pickTestCase(file, template?.info.id);
    if (testCase === undefined) return undefined;
    const cfg = runConfigFor(file);
    if (!cfg.ok) {
      void vscode.window.showErrorMessage(`The local run config cannot be used: ${cfg.error}`);
      return undefined;
    }
    const options = workerOptions(file, cfg.config, testCase, template?.info.id);
    if (args?.timeScale !== undefined) options.timeScale = args.timeScale;
    if (template) {
      const substitutions = await runSubstitutions(template.info, cfg.config.substitutions, interactive);
      if (!substitutions) return undefined;
      options.config = { ...cfg.config, substitutions };
    }
    const nodes = await stateGraph(client, target);
    const rec = controller.start({
      uri: target,
      definition: definitionText,
      input: input.value,
      options,
      testCase: testCase ?? undefined,
      graph: nodes,
      documentVersion: doc.version,
    });
    void rememberInput(context.workspaceState, target, input.value);
    const userStarted = interactive || !!args?.offerFixes;
    void rec.done.then(async (outcome) => {
      const problem =
        outcome.status === 'SUCCEEDED' || outcome.status === 'ABORTED' ? undefined : problemOf(outcome, rec.events);
      if (!problem) {
        if (userStarted) await announceFinished(rec);
        return;
      }
      if (userStarted) {
        let definition: unknown;
        try {
          definition = JSON.parse(definitionText);
        } catch {
          definition = undefined;
        }
        const next = await offerFix(file, problem, clusterNamesIn(definition));
        if (next.next === 'retry')
          await run({ uri: target, input: input.value, testCase, timeScale: args?.timeScale, offerFixes: true });
        if (next.next === 'retryWithMock')
          await run({
            uri: target,
            input: input.value,
            testCase: next.testCase,
            timeScale: args?.timeScale,
            offerFixes: true,
          });
      }
    });
    return rec;
  };

  /** The notification of a finished run: status, duration, and where to look next. */
  const announceFinished = async (rec: ExecutionRecord): Promise<void> => {
    const text = finishedMessage(
      rec.label,
      rec.status,
      (rec.endedAt ?? Date.now()) - rec.startedAt,
      rec.outcome?.error,
    );
    const failed = rec.status === 'FAILED' || rec.status === 'TIMED_OUT';
    const show = failed ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    const actions = rec.status === 'ABORTED' ? [] : [SAVE_AS_TEST_CASE];
    const choice = await show(text, SHOW_OUTPUT, SHOW_IN_EXECUTIONS, ...actions);
    if (choice === SAVE_AS_TEST_CASE) await saveAsTestCase(rec, topLevelStates);
    else if (choice === SHOW_OUTPUT) controller.output.show(true);
    else if (choice === SHOW_IN_EXECUTIONS)
      await view.reveal({ kind: 'execution', id: rec.id }, { select: true, focus: true, expand: true });
  };

  const stop = async (arg?: ExecutionNode | string): Promise<void> => {
    const running = controller.executions.filter((r) => r.status === 'RUNNING');
    let id = typeof arg === 'string' ? arg : arg?.id;
    if (!id) {
      if (running.length === 1) id = running[0]!.id;
      else if (running.length > 1) {
        const pick = await vscode.window.showQuickPick(
          running.map((r) => ({ label: r.label, description: r.current, id: r.id })),
          { placeHolder: 'Stop which execution?' },
        );
        id = pick?.id;
      } else {
        void vscode.window.showInformationMessage('No execution is running.');
      }
    }
    if (id) await controller.stop(id);
  };

  const showItem = async (node: ExecutionNode): Promise<void> => {
    const rec = controller.find(node.id);
    if (!rec) return;
    if (node.kind === 'execution') {
      await vscode.window.showTextDocument(executionDocUri(rec.id), {
        preview: true,
        preserveFocus: true,
        viewColumn: vscode.ViewColumn.Beside,
      });
      return;
    }
    if (node.kind !== 'event') return;
    const e = rec.events.find((x) => x.id === node.eventId);
    if (!e) return;
    const name = rec.tracker.stateOf(e) ?? (eventDetails(e).name as string | undefined);
    if (name) await revealState(rec.uri, name);
    await vscode.window.showTextDocument(eventDocUri(rec.id, e.id, name ?? e.type), {
      preview: true,
      preserveFocus: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
  };

  const revealState = async (uri: vscode.Uri, name: string): Promise<void> => {
    const nodes = await stateGraph(client, uri);
    const node = nodes?.find((n) => n.kind === 'state' && n.name === name);
    const doc = await vscode.workspace.openTextDocument(splitMachineUri(uri).document);
    const visible = vscode.window.visibleTextEditors.find((ed) => ed.document === doc);
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: true,
      preview: false,
    });
    if (!node) return;
    const start = doc.positionAt(node.range.offset);
    editor.selection = new vscode.Selection(start, start);
    editor.revealRange(
      new vscode.Range(start, doc.positionAt(node.range.offset + node.range.length)),
      vscode.TextEditorRevealType.InCenterIfOutsideViewport,
    );
  };

  const lens = new RunCodeLens();
  context.subscriptions.push(
    controller,
    tree,
    content,
    view,
    lens,
    vscode.languages.registerCodeLensProvider([{ language: 'asl' }, { language: 'asl-yaml' }], lens),
    vscode.workspace.registerTextDocumentContentProvider(EXEC_SCHEME, content),
    vscode.commands.registerCommand(RUN_COMMAND, async (arg?: RunArgs | vscode.Uri) => {
      const rec = await run(arg);
      // plain JSON so the result survives any command-argument serialization
      return rec ? { executionId: rec.id, executionArn: rec.executionArn } : undefined;
    }),
    vscode.commands.registerCommand(STOP_COMMAND, stop),
    vscode.commands.registerCommand(SHOW_EVENT_COMMAND, showItem),
  );
  const reveal = async (id: string): Promise<void> => {
    await view.reveal({ kind: 'execution', id }, { select: true, focus: true, expand: true });
  };
  return { run, controller, tree, content, stopAll: () => controller.stopAll(), reveal };
}
