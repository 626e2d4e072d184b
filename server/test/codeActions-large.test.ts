/**
 * Quick fixes on a large machine (in-process): a generated 5,000-state machine with a few
 * hundred diagnostics. A code-action request for one line fixes only the diagnostics on that
 * line even when the client sends all of them, the fix's edit is local (a few characters,
 * not the whole document) and applying it removes exactly that diagnostic. The latency is a
 * row of scripts/bench/features.mjs, not asserted here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import { analyze } from '../../asl/src/analyze';
import { validateModel } from '../../asl/src/rules';
import { toLspDiagnostic } from '../src/features/shared/lspDiagnostic';
import { codeActionsFor } from '../src/features/codeActions';
import { applyTextEdits, type TextEditLike } from './helpers/applyEdits';

const URI = 'file:///large.asl.json';

/**
 * A chain of `n` states (ECS tasks and Pass states). Every 20th Pass state has a misspelled
 * `ResultPth` (ASL102) and every 50th task lacks its TaskDefinition (ECS404).
 */
function brokenMachine(n: number): string {
  const lines = ['{', '  "StartAt": "S0",', '  "States": {'];
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? `"Next": "S${i + 1}"` : '"End": true';
    const comma = i + 1 < n ? ',' : '';
    if (i % 2 === 0) {
      const def = i % 100 === 0 ? '' : `"TaskDefinition": "family-${i}", `;
      lines.push(
        `    "S${i}": {`,
        '      "Type": "Task",',
        '      "Resource": "arn:aws:states:::ecs:runTask.sync",',
        `      "Parameters": { ${def}"Cluster": "bench" },`,
        '      "TimeoutSeconds": 600,',
        `      ${next}`,
        `    }${comma}`,
      );
    } else {
      const typo = i % 20 === 1 ? '"ResultPth": "$.x", ' : '';
      lines.push(`    "S${i}": { "Type": "Pass", ${typo}${next} }${comma}`);
    }
  }
  lines.push('  }', '}');
  return lines.join('\n') + '\n';
}

const key = (d: Diagnostic) => `${String(d.code)}|${d.range.start.line}|${d.message}`;

function diagnose(text: string): {
  diags: Diagnostic[];
  doc: ReturnType<typeof analyze>['doc'];
  model: ReturnType<typeof analyze>['model'];
} {
  const { doc, model } = analyze(text, 'json');
  return { doc, model, diags: validateModel(model).map((d) => toLspDiagnostic(d, doc, URI)) };
}

describe('quick fixes on a 5,000-state machine with hundreds of diagnostics', () => {
  const text = brokenMachine(5000);
  const { doc, model, diags } = diagnose(text);

  it('has the generated diagnostics', () => {
    assert.equal(diags.filter((d) => d.code === 'ASL102').length, 250);
    assert.equal(diags.filter((d) => d.code === 'ECS404').length, 50);
  });

  it('fixes only the diagnostic on the requested line, with a local edit', () => {
    const target = diags.find((d) => d.code === 'ASL102' && text.split('\n')[d.range.start.line].includes('"S2501"'));
    assert.ok(target, 'the typo of S2501 is diagnosed');
    const line = target.range.start.line;
    const actions: CodeAction[] = codeActionsFor(doc, model, {
      textDocument: { uri: URI },
      range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } },
      // a client sending every diagnostic of the document: only the intersecting one counts
      context: { diagnostics: diags, only: ['quickfix'] },
    });
    for (const a of actions) for (const d of a.diagnostics ?? []) assert.equal(key(d), key(target));
    const fix = actions.find((a) => a.title === "Change 'ResultPth' to 'ResultPath'");
    assert.ok(fix, `fix offered among [${actions.map((a) => a.title).join(' | ')}]`);
    const edits = fix.edit!.changes![URI] as TextEditLike[];
    assert.equal(edits.length, 1);
    assert.ok(
      edits[0].newText.length < 20 && edits[0].range.start.line === line && edits[0].range.end.line === line,
      JSON.stringify(edits[0]),
    );

    const after = diagnose(applyTextEdits(text, edits)).diags;
    assert.equal(after.length, diags.length - 1);
    const remaining = new Set(after.map(key));
    assert.ok(!remaining.has(key(target)));
    assert.deepEqual(
      diags.filter((d) => d !== target && !remaining.has(key(d))).map(key),
      [],
      'every other diagnostic is unchanged',
    );
  });

  it('adds a missing TaskDefinition inside the one-line Parameters of one task', () => {
    const target = diags.find((d) => d.code === 'ECS404' && d.range.start.line > 10_000);
    assert.ok(target);
    const actions = codeActionsFor(doc, model, {
      textDocument: { uri: URI },
      range: target.range,
      context: { diagnostics: diags, only: ['quickfix'] },
    });
    const fix = actions.find((a) => a.title.includes('TaskDefinition'));
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    const fixed = applyTextEdits(text, fix.edit!.changes![URI] as TextEditLike[]);
    assert.ok(fixed.includes('"Parameters": { "Cluster": "bench", "TaskDefinition": "my-task-family" },'));
    const after = diagnose(fixed).diags;
    assert.equal(after.length, diags.length - 1);
  });
});
