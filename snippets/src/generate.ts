/**
 * Renders snippets/src/definitions.ts to snippets/asl.code-snippets (JSON bodies) and
 * snippets/asl-yaml.code-snippets (YAML bodies).
 *   node --import tsx snippets/src/generate.ts          write both files
 *   node --import tsx snippets/src/generate.ts --check  exit 1 if they are out of date
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  emitJson,
  emitYaml,
  needsQuotes,
  type Emittable,
  type OpaqueScalar,
  type ScalarHook,
} from '../../asl/src/text/emit';
import { snippets, type Placeholder, type SnippetDef } from './definitions';

/** Snippet syntax treats `$`, `}` and `\` specially: escape them in literal text. */
const escapeSnippet = (s: string) => s.replace(/[\\$}]/g, (c) => '\\' + c);

function tabStop(p: Placeholder, text: string): string {
  if (p.choices) return `\${${p.n}|${p.choices.map((c) => c.replace(/[\\,|$}]/g, (x) => '\\' + x)).join(',')}|}`;
  return `\${${p.n}:${escapeSnippet(text)}}`;
}

const hook: ScalarHook = {
  escape: escapeSnippet,
  json(v: OpaqueScalar) {
    const p = v as Placeholder;
    return p.raw ? tabStop(p, p.text) : `"${tabStop(p, JSON.stringify(p.text).slice(1, -1))}"`;
  },
  yaml(v: OpaqueScalar) {
    const p = v as Placeholder;
    const quote = !p.raw && (needsQuotes(p.text) || (p.choices ?? []).some((c) => needsQuotes(c)));
    return quote ? `"${tabStop(p, JSON.stringify(p.text).slice(1, -1))}"` : tabStop(p, p.text);
  },
};

/** The snippet body text for one language. */
export function renderBody(def: SnippetDef, lang: 'json' | 'yaml'): string {
  let body: Emittable = def.body;
  if (def.kind === 'State') {
    // the state name is the key: render a one-property object whose key is the placeholder
    const marker = '@@STATE_NAME@@';
    body = { [marker]: def.body };
    const text = lang === 'json' ? emitJson(body, hook) : emitYaml(body, hook);
    const inner =
      lang === 'json'
        ? text
            .split('\n')
            .slice(1, -1)
            .map((l) => l.slice(2))
            .join('\n')
        : text;
    const name = def.name!;
    const key = lang === 'json' ? hook.json(name) : hook.yaml(name);
    return inner.replace(lang === 'json' ? `"${escapeSnippet(marker)}"` : escapeSnippet(marker), key);
  }
  if (def.kind === 'Retry' || def.kind === 'Catch') body = { [def.kind]: def.body };
  const text = lang === 'json' ? emitJson(body, hook) : emitYaml(body, hook);
  if (def.kind === 'Machine' || lang === 'yaml') return text;
  return text
    .split('\n')
    .slice(1, -1)
    .map((l) => l.slice(2))
    .join('\n');
}

/** The whole .code-snippets file for one language. */
export function renderFile(lang: 'json' | 'yaml'): string {
  const out: Record<string, { prefix: string; description: string; body: string[] }> = {};
  for (const def of snippets) {
    out[`${def.kind}: ${def.title}`] = {
      prefix: def.prefix,
      description: def.description,
      body: renderBody(def, lang).split('\n'),
    };
  }
  return JSON.stringify(out, null, 2) + '\n';
}

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [lang, file] of [
    ['json', 'asl.code-snippets'],
    ['yaml', 'asl-yaml.code-snippets'],
  ] as const) {
    const target = path.join(dir, file);
    const text = renderFile(lang);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (current === text) continue;
    if (check) {
      console.error(`snippets: ${file} is out of date`);
      stale++;
    } else {
      fs.writeFileSync(target, text);
      console.log(`snippets: wrote ${file}`);
    }
  }
  process.exit(stale ? 1 : 0);
}
