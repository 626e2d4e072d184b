/**
 * "ASL Workbench: New State Machine": pick a template (snippets/templates/*.asl.json, shipped
 * in the .vsix) and a format, get an untitled editor in the asl / asl-yaml language. An empty
 * machine file shows the command as a code lens that fills that file instead.
 */
import * as vscode from 'vscode';
import { formatOf } from '../../../asl/src/parse/format';
import { emitJson, emitYaml, type Emittable } from '../../../asl/src/text/emit';

export const NEW_STATE_MACHINE_COMMAND = 'aslWorkbench.newStateMachine';

interface TemplateItem extends vscode.QuickPickItem {
  uri: vscode.Uri;
}

/** Lists the bundled templates: label from the file name, detail from the machine's Comment. */
export async function listTemplates(extensionUri: vscode.Uri): Promise<TemplateItem[]> {
  const dir = vscode.Uri.joinPath(extensionUri, 'snippets', 'templates');
  const entries = await vscode.workspace.fs.readDirectory(dir);
  const items: TemplateItem[] = [];
  for (const [name, type] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (type !== vscode.FileType.File || !name.endsWith('.asl.json')) continue;
    const uri = vscode.Uri.joinPath(dir, name);
    let detail = '';
    try {
      const parsed = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as {
        Comment?: unknown;
      };
      if (typeof parsed.Comment === 'string') detail = parsed.Comment;
    } catch {
      continue; // a broken template is not offered
    }
    items.push({ label: name.replace(/\.asl\.json$/, ''), detail, uri });
  }
  return items;
}

/**
 * The lens on an empty .asl.json / .asl.yaml file: a new file is where a user starts, and a
 * template is a better start than the "document is empty" error an editor would show.
 */
export class TemplateCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (doc.getText().trim()) return [];
    return [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: '$(new-file) New State Machine from a template…',
        tooltip: 'Fill this file with a state machine template (ECS task, EKS Job, callback, Map, cluster lifecycle)',
        command: NEW_STATE_MACHINE_COMMAND,
        arguments: [undefined, undefined, doc.uri],
      }),
    ];
  }
}

/** Replaces the whole text of the document at `uri` (one undoable edit) and shows it. */
async function fillDocument(uri: vscode.Uri, content: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), content);
  await vscode.workspace.applyEdit(edit);
  await vscode.window.showTextDocument(doc);
  return doc;
}

/**
 * Registers the command and the empty-file lens. Arguments (optional, for tests, the lens and
 * other callers): the template name, `'json' | 'yaml'`, and the document to fill (its language
 * decides the format); missing ones are asked with quick picks. Returns the filled document.
 */
export function registerNewStateMachine(context: vscode.ExtensionContext): vscode.Disposable {
  const lens = vscode.languages.registerCodeLensProvider(
    [{ language: 'asl' }, { language: 'asl-yaml' }],
    new TemplateCodeLens(),
  );
  const command = vscode.commands.registerCommand(
    NEW_STATE_MACHINE_COMMAND,
    async (
      templateName?: string,
      format?: 'json' | 'yaml',
      target?: vscode.Uri,
    ): Promise<vscode.TextDocument | undefined> => {
      const targetDoc = target ? await vscode.workspace.openTextDocument(target) : undefined;
      if (targetDoc) format = formatOf(targetDoc.uri.path, targetDoc.languageId);
      const templates = await listTemplates(context.extensionUri);
      const picked =
        templates.find((t) => t.label === templateName) ??
        (await vscode.window.showQuickPick(templates, {
          title: 'New State Machine',
          placeHolder: 'Start from a template',
        }));
      if (!picked) return undefined;
      const fmt =
        format ??
        (
          await vscode.window.showQuickPick(
            [
              { label: 'JSON', description: '.asl.json', value: 'json' as const },
              { label: 'YAML', description: '.asl.yaml', value: 'yaml' as const },
            ],
            { title: 'New State Machine', placeHolder: 'File format' },
          )
        )?.value;
      if (!fmt) return undefined;
      const machine = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(picked.uri))) as Emittable;
      const content = (fmt === 'json' ? emitJson(machine) : emitYaml(machine)) + '\n';
      if (targetDoc) return fillDocument(targetDoc.uri, content);
      const doc = await vscode.workspace.openTextDocument({ language: fmt === 'json' ? 'asl' : 'asl-yaml', content });
      await vscode.window.showTextDocument(doc);
      return doc;
    },
  );
  return vscode.Disposable.from(lens, command);
}
