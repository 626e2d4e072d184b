/**
 * What users read must point somewhere they can open: hovers, diagnostics, docs pages, schema
 * descriptions, snippets and messages cite public pages (AWS documentation URLs, our docs/),
 * never the labels of the project's internal fact sheet ("reference §6.5", "DG-VAR",
 * "API-SFN") or an issue number. The scan covers the text that ships or that diagnostics link
 * to, and the sources of asl/, server/, client/, runner/ and cli/,
 * comments included, so a citation cannot slip from a comment into a message.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Folders scanned recursively and single files, relative to the repository root. */
const SCANNED_DIRS = ['docs', 'schemas', 'snippets', 'asl/src', 'server/src', 'client/src', 'runner/src', 'cli/src'];
const SCANNED_FILES = ['README.md', 'CHANGELOG.md', 'package.json'];
const TEXT_FILE = /\.(md|json|ts|mjs|code-snippets|ya?ml|html|css)$/;

/** Citations a reader cannot resolve, each with what to write instead. */
const UNRESOLVABLE: { pattern: RegExp; what: string }[] = [
  { pattern: /reference §|§\s?\d/, what: 'a section of the internal fact sheet' },
  { pattern: /\b(?:DG|API|LS|CDK|K8S)-[A-Z][A-Z0-9-]*/, what: 'a source key of the internal fact sheet' },
  {
    pattern: /\b(?:SLS656|DSSDK|ELSA|CHUB|JSV3|SMITHY|BOTO|ASLS)\b|\bEKS-AUTH\b/,
    what: 'a source key of the internal fact sheet',
  },
  { pattern: /step-functions-ecs-eks\.md|shared\/reference\//, what: 'the path of the internal fact sheet' },
  { pattern: /\bissues? #?\d+/i, what: 'an issue number of this project' },
];

interface Finding {
  where: string;
  what: string;
  text: string;
}

function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'fixtures') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (TEXT_FILE.test(e.name)) out.push(p);
  }
  return out;
}

/** Every unresolvable citation in `text`, as `file:line`. */
function findCitations(file: string, text: string): Finding[] {
  const found: Finding[] = [];
  text.split('\n').forEach((line, i) => {
    for (const u of UNRESOLVABLE) {
      const m = u.pattern.exec(line);
      if (m) found.push({ where: `${file}:${i + 1}`, what: `${u.what} ("${m[0]}")`, text: line.trim().slice(0, 160) });
    }
  });
  return found;
}

function scannedFiles(): string[] {
  const files = SCANNED_DIRS.flatMap((d) => walk(path.join(root, d)));
  for (const f of SCANNED_FILES) if (fs.existsSync(path.join(root, f))) files.push(path.join(root, f));
  return files;
}

/** Text that ships in the .vsix or the CLI (sources, schemas, snippets, the manifest). */
const SHIPPED_DIRS = ['schemas', 'snippets', 'asl/src', 'server/src', 'client/src', 'runner/src', 'cli/src'];
/** Set-up steps that only work in a clone of this repository. */
const REPOSITORY_SETUP = /setup-docker\.sh|sudo bash scripts\//;
const COMMENT_LINE = /^\s*(\/\/|\/\*|\*)/;

describe('citations users can follow', () => {
  it('recognises fact-sheet labels and issue numbers, and lets public links through', () => {
    const flagged = (line: string) => findCitations('x', line).length > 0;
    for (const bad of [
      'A value is visible from the next state on (reference §6.5).',
      'Checked against the JSON Schemas of reference §2.2, §2.3.',
      'Names follow identifier rules (DG-VAR).',
      'History events (API-SFN HistoryEvent).',
      'the pod default is invalid (K8S-JOB)',
      // assembled so that this sample is not itself an issue-number citation in the source
      `Run Locally (${'issue'} 9): the command`,
      'Facts: ../shared/reference/step-functions-ecs-eks.md',
    ])
      assert.ok(flagged(bad), `not flagged: ${bad}`);
    for (const good of [
      'A value is visible from the next state on (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).',
      'needs ecs:TagResource (https://github.com/serverless-operations/serverless-step-functions/issues/656)',
      'percent-encoded (SARIF 2.1.0, section 3.10)',
      'not documented by AWS; local behaviour of asl-workbench',
      'the AWS language service (https://github.com/aws/amazon-states-language-service)',
    ])
      assert.ok(!flagged(good), `flagged: ${good}`);
  });

  it('docs, schemas, snippets, README and the sources of asl, server, client and runner cite public pages only', () => {
    const files = scannedFiles();
    // the scan must really see the rule pages, the schemas and the sources
    assert.ok(files.some((f) => f.endsWith(path.join('docs', 'rules', 'ASL101.md'))));
    assert.ok(files.some((f) => f.endsWith(path.join('schemas', 'ecs-run-task.schema.json'))));
    assert.ok(files.some((f) => f.endsWith(path.join('server', 'src', 'features', 'hover.ts'))));
    const findings = files.flatMap((f) => findCitations(path.relative(root, f), fs.readFileSync(f, 'utf8')));
    assert.deepEqual(
      findings.map((x) => `${x.where}: ${x.what}: ${x.text}`),
      [],
      'cite the public AWS page (URL) or a page of docs/ instead; where AWS documents nothing, say ' +
        '"not documented by AWS; local behaviour of asl-workbench"',
    );
  });

  it('messages of the installed extension and the CLI give set-up steps without repository scripts', () => {
    const files = [...SHIPPED_DIRS.flatMap((d) => walk(path.join(root, d))), path.join(root, 'package.json')];
    const found: string[] = [];
    for (const f of files) {
      fs.readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          // comments may say where a test image comes from; messages and descriptions may not
          if (!COMMENT_LINE.test(line) && REPOSITORY_SETUP.test(line))
            found.push(`${path.relative(root, f)}:${i + 1}: ${line.trim().slice(0, 160)}`);
        });
    }
    assert.deepEqual(
      found,
      [],
      'tell users to install/start Docker or Podman or to point DOCKER_HOST / the setting at an engine',
    );
  });
});
