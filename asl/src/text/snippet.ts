/**
 * VS Code snippet syntax (https://code.visualstudio.com/docs/editing/userdefinedsnippets#_snippet-syntax)
 * as the text it inserts. The language server writes a completion snippet as plain text where
 * the editor would misread escapes as snippet syntax (inside an escaped template string), and
 * the tests accept snippets as an editor does.
 */

/** The text a snippet inserts with every placeholder at its default (first choice); throws on a malformed placeholder. */
export function expandSnippet(body: string): string {
  let out = '';
  let i = 0;
  const readUntil = (close: string): string => {
    let text = '';
    while (i < body.length && body[i] !== close) {
      if (body[i] === '\\' && i + 1 < body.length) {
        text += body[i + 1];
        i += 2;
      } else if (body[i] === '$' && body[i + 1] === '{') {
        text += placeholder();
      } else text += body[i++];
    }
    return text;
  };
  const placeholder = (): string => {
    i += 2; // ${
    while (/\d/.test(body[i])) i++;
    if (body[i] === '}') {
      i++;
      return '';
    }
    if (body[i] === ':') {
      i++;
      const text = readUntil('}');
      i++;
      return text;
    }
    if (body[i] === '|') {
      i++;
      const first = readUntil('|').split(',')[0];
      i += 2; // |}
      return first;
    }
    throw new Error(`bad placeholder at ${i}: ${body.slice(i - 5, i + 10)}`);
  };
  while (i < body.length) {
    if (body[i] === '\\' && i + 1 < body.length) {
      out += body[i + 1];
      i += 2;
    } else if (body[i] === '$' && body[i + 1] === '{') out += placeholder();
    else if (body[i] === '$' && /\d/.test(body[i + 1] ?? '')) {
      i++;
      while (/\d/.test(body[i])) i++;
    } else out += body[i++];
  }
  return out;
}
