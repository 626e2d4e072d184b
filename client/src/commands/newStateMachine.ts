/**
 * "ASL Workbench: New State Machine": pick a template (snippets/templates/*.asl.json, shipped
 * in the .vsix) and a format, get an untitled editor in the asl / asl-yaml language.
 */
import * as vscode from 'vscode';
import { emitJson, emitYaml, type Emittable } from '../text/emit';

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
 * Registers the command. Arguments (optional, for tests and other callers): the template name
 * and `'json' | 'yaml'`; missing ones are asked with quick picks. Returns the new document.
 */
export function registerNewStateMachine(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(
    'aslWorkbench.newStateMachine',
    async (templateName?: string, format?: 'json' | 'yaml'): Promise<vscode.TextDocument | undefined> => {
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
      const doc = await vscode.workspace.openTextDocument({ language: fmt === 'json' ? 'asl' : 'asl-yaml', content });
      await vscode.window.showTextDocument(doc);
      return doc;
    },
  );
}
