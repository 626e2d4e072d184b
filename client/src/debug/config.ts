/**
 * The `asl` debug configurations: what F5 / a launch.json entry / Debug Locally leave out is
 * filled the way Run Locally fills it — the machine of the active editor (in a template: the
 * one `machine` names, the only one, or the one picked), the input picked from the files next
 * to the machine or the recent inputs, the mock test case when a mock config exists, and the
 * run config with the user's settings merged in and a template's placeholder values.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { findMockConfig } from '../../../runner/src/config';
import { isMachine, machinesOf, machineUri, runSubstitutions, templateMachine } from '../templates';
import { machineTypeFor, pickInput, pickTestCase, rememberInput, runConfigFor } from '../run/prepare';
import { requireTrust } from '../trust';
import type { AslLaunchArguments } from '../../../runner/src/debug/launchArgs';

/** The debug type the adapter (dist/debugAdapter.js) is registered under in package.json. */
export const DEBUG_TYPE = 'asl';

/** A launch configuration of the `asl` type, before or after it is filled. */
export type AslDebugConfiguration = vscode.DebugConfiguration & Partial<AslLaunchArguments>;

/** A configuration that debugs `uri`, or its `extra.machine` (VS Code asks for what it leaves out). */
export function launchConfigFor(uri: vscode.Uri, extra: Partial<AslLaunchArguments> = {}): AslDebugConfiguration {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Debug ${extra.machine ?? path.basename(uri.fsPath)}`,
    ...extra,
    program: uri.fsPath,
  };
}

/** The state machine of the active editor, if it is one on disk. */
function activeMachine(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && doc.uri.scheme === 'file' && isMachine(doc) ? doc.uri : undefined;
}

/** A path of a launch configuration made absolute (relative to the folder, else the machine's). */
function absolute(p: string, base: string): string {
  return path.isAbsolute(p) ? p : path.resolve(base, p);
}

/** The dynamic configurations "Run and Debug" offers: one per state machine shown in an editor. */
export function openMachineConfigurations(): vscode.DebugConfiguration[] {
  const seen = new Set<string>();
  const configs: vscode.DebugConfiguration[] = [];
  for (const editor of vscode.window.visibleTextEditors) {
    const doc = editor.document;
    if (doc.uri.scheme !== 'file' || !isMachine(doc) || seen.has(doc.uri.fsPath)) continue;
    seen.add(doc.uri.fsPath);
    configs.push(launchConfigFor(doc.uri));
  }
  return configs;
}

/** Fills the `asl` configurations (F5, launch.json, Debug Locally) before they start. */
export class AslDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly state: vscode.Memento,
    private readonly client: LanguageClient,
  ) {}

  /** Before variables are substituted: F5 without a launch.json debugs the active machine. */
  resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: AslDebugConfiguration,
  ): AslDebugConfiguration | undefined {
    if (!config.type && !config.request && !config.name) {
      const uri = activeMachine();
      if (!uri) {
        void vscode.window.showInformationMessage(
          'Open a state machine file (.asl.json or .asl.yaml) on disk to debug it locally.',
        );
        return undefined;
      }
      return launchConfigFor(uri);
    }
    if (!config.program) {
      const uri = activeMachine();
      if (!uri) {
        void vscode.window.showErrorMessage(
          `The launch configuration "${config.name}" has no "program" and the active editor is not a state machine on disk.`,
        );
        return undefined;
      }
      config.program = uri.fsPath;
    }
    return config;
  }

  /** After substitution: asks for the input and the mock test case, fills the configs. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: AslDebugConfiguration,
  ): Promise<AslDebugConfiguration | undefined> {
    // VS Code refuses to debug in Restricted Mode too; this says why and offers to trust
    if (!vscode.workspace.isTrusted) {
      void requireTrust('Debug Locally');
      return undefined;
    }
    const program = absolute(String(config.program), folder?.uri.fsPath ?? process.cwd());
    if (!fs.existsSync(program)) {
      void vscode.window.showErrorMessage(`The state machine ${program} does not exist.`);
      return undefined;
    }
    const base = folder?.uri.fsPath ?? path.dirname(program);
    const file = vscode.Uri.file(program);
    // a template holding machines, not every YAML or JSON file (a definition can be one too);
    // the server reads open documents
    await vscode.workspace.openTextDocument(file);
    const holds = config.machine !== undefined || (await machinesOf(this.client, file)).length > 0;
    const template = holds
      ? await templateMachine(
          this.client,
          config.machine !== undefined ? machineUri(file, config.machine) : file,
          'Debug Locally',
        )
      : undefined;
    if (template === null) return undefined;
    // inputs are remembered per machine: a template's machine has its own uri
    const uri = template?.uri ?? file;
    const resolved: AslDebugConfiguration = { ...config, program };
    if (template) resolved.machine = template.info.id;
    if (config.input === undefined) {
      const input = await pickInput(uri, this.state, 'Debug');
      if (!input) return undefined;
      resolved.input = input.value;
      void rememberInput(this.state, uri, input.value);
    } else if (typeof config.input === 'string' && fs.existsSync(absolute(config.input, base))) {
      resolved.input = absolute(config.input, base);
    }
    if (!('testCase' in config)) {
      const testCase = await pickTestCase(program, template?.info.id);
      if (testCase === undefined) return undefined;
      // null: the tasks run for real although a mock config is there
      resolved.testCase = testCase;
    }
    if (resolved.testCase) {
      const mockConfig = config.mockConfig ? absolute(config.mockConfig, base) : findMockConfig(program)?.file;
      if (!mockConfig) {
        void vscode.window.showErrorMessage(
          `Test case "${resolved.testCase}" needs a mock config: none is next to ${path.basename(program)} and "mockConfig" is not set.`,
        );
        return undefined;
      }
      resolved.mockConfig = mockConfig;
    }
    // the run config and machine type Run Locally would use, so both run the same execution
    if (typeof config.runConfig !== 'object' || config.runConfig === null) {
      const cfg = runConfigFor(program, config.runConfig ? absolute(config.runConfig, base) : undefined);
      if (!cfg.ok) {
        void vscode.window.showErrorMessage(`The local run config cannot be used: ${cfg.error}`);
        return undefined;
      }
      resolved.runConfig = cfg.config;
      if (template) {
        // the values Run Locally gives the placeholders, asking for those nothing gives
        const values = await runSubstitutions(
          template.info,
          cfg.config.substitutions,
          true,
          `Debug ${template.info.id} locally`,
        );
        if (!values) return undefined;
        resolved.runConfig = { ...cfg.config, substitutions: values };
      }
    }
    resolved.machineType ??= machineTypeFor(program);
    return resolved;
  }
}
