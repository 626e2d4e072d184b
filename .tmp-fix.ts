import fs from 'node:fs';
import { analyze } from './server/src/core';
import { validateModel } from './server/src/rules';
import { fixesFor } from './server/src/features/codeActions/fixes';
import { applyTextEdits } from './server/test/helpers/applyEdits';
const file = process.argv[2]; const code = process.argv[3];
const text = fs.readFileSync(file, 'utf8');
const { doc, model } = analyze(text, file.endsWith('.yaml') ? 'yaml' : 'json');
for (const d of validateModel(model)) {
  if (d.code !== code) continue;
  const diag = { range: doc.rangeOf(d.offset, d.length), code: d.code, message: d.message, data: d.data } as any;
  for (const a of fixesFor(doc, model, 'u', diag)) { console.log('=== ' + a.title); console.log(applyTextEdits(text, (a.edit as any).changes.u)); }
}
