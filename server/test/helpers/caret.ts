/**
 * Caret-marked fixtures (like yaml-language-server's tests): a `|` in a `.asl.json` /
 * `.asl.yaml` file marks the position; `<name>.expected.json` next to it holds what the test
 * expects. The text sent to the server is the file without the marker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface CaretFixture<E> {
  name: string;
  file: string;
  uri: string;
  text: string;
  /** zero-based position of the caret */
  position: { line: number; character: number };
  offset: number;
  expected: E;
}

/** Converts an offset of `text` to an LSP position. */
export function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Loads one caret fixture (the first `|` is the caret). */
export function loadCaretFixture<E>(file: string): CaretFixture<E> {
  const raw = fs.readFileSync(file, 'utf8');
  const offset = raw.indexOf('|');
  if (offset < 0) throw new Error(`${file}: no | caret marker`);
  const text = raw.slice(0, offset) + raw.slice(offset + 1);
  const base = file.replace(/\.asl\.(json|ya?ml)$/, '');
  const expected = JSON.parse(fs.readFileSync(`${base}.expected.json`, 'utf8')) as E;
  return {
    name: path.basename(file),
    file,
    uri: pathToFileURL(file).href,
    text,
    position: positionOf(text, offset),
    offset,
    expected,
  };
}

/** Every caret fixture (`*.asl.json|yaml` with an `.expected.json`) under a folder, recursively. */
export function caretFixtures<E>(dir: string): CaretFixture<E>[] {
  const out: CaretFixture<E>[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (
        /\.asl\.(json|ya?ml)$/.test(e.name) &&
        fs.existsSync(p.replace(/\.asl\.(json|ya?ml)$/, '.expected.json'))
      )
        out.push(loadCaretFixture<E>(p));
    }
  };
  walk(dir);
  return out.sort((a, b) => a.file.localeCompare(b.file));
}
