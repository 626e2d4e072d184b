import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../src/parse/index';
import { nodeValue } from '../src/parse/tree';
import { placeholderNames, placeholderNodes, substituteDocument } from '../src/substitutions';

test('a placeholder that is the whole value takes the value with its type; inside a string, its text', () => {
  const definition = {
    Seconds: '${Timeout}',
    On: '${Enabled}',
    Arn: 'arn:aws:dynamodb:${Region}:1:table/${Table}',
    Other: '${Unknown}',
    Lambda: '${aws_lambda_function.Dispense50.arn}',
    List: ['${Table}', 3],
  };
  const doc = parseDocument(JSON.stringify(definition), 'json');
  const copy = substituteDocument(doc, {
    Timeout: 30,
    Enabled: false,
    Table: 'orders',
    Region: 'eu-west-1',
    'aws_lambda_function.Dispense50.arn': 'arn:aws:lambda:us-east-1:123456789012:function:dispense',
  });
  assert.deepEqual(nodeValue(copy?.root), {
    Seconds: 30,
    On: false,
    Arn: 'arn:aws:dynamodb:eu-west-1:1:table/orders',
    Other: '${Unknown}',
    Lambda: 'arn:aws:lambda:us-east-1:123456789012:function:dispense',
    List: ['orders', 3],
  });
  assert.deepEqual(placeholderNames('${A}-${B}-${A}'), ['A', 'B']);
});

test('substituteDocument replaces known placeholder values in a copy of the tree, at the same offsets', () => {
  const text = '{"Seconds": "${Timeout}", "Name": "${Unknown}", "Arn": "arn:${Partition}:x"}';
  const doc = parseDocument(text, 'json');
  assert.equal(placeholderNodes(doc.root).length, 3);
  const copy = substituteDocument(doc, { Timeout: 30, Partition: 'aws' });
  assert.ok(copy?.root);
  const values = copy.root.children!.map((p) => {
    const v = p.children![1]!;
    return [v.type, v.value, text.slice(v.offset, v.offset + v.length)];
  });
  assert.deepEqual(values, [
    ['number', 30, '"${Timeout}"'],
    ['string', '${Unknown}', '"${Unknown}"'],
    ['string', 'arn:aws:x', '"arn:${Partition}:x"'],
  ]);
  // the original tree is untouched
  assert.equal(placeholderNodes(doc.root).length, 3);
  assert.equal(substituteDocument(doc, { Other: 1 }), undefined);
  assert.equal(substituteDocument(doc, undefined), undefined);
});
