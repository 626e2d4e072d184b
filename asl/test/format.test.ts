import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatOf } from '../src/parse/format';

describe('formatOf', () => {
  it('reads YAML from .yaml and .yml names, in any case, and JSON from every other name', () => {
    assert.equal(formatOf('machines/order.asl.yaml'), 'yaml');
    assert.equal(formatOf('C:\\machines\\order.ASL.YML'), 'yaml');
    assert.equal(formatOf('file:///w/order.asl.yml'), 'yaml');
    assert.equal(formatOf('order.asl.json'), 'json');
    assert.equal(formatOf('order.asl'), 'json');
    assert.equal(formatOf('yaml'), 'json');
  });

  it("follows the editor's language over the name", () => {
    assert.equal(formatOf('untitled:Untitled-1', 'asl-yaml'), 'yaml');
    assert.equal(formatOf('file:///w/order.json', 'yaml'), 'yaml');
    assert.equal(formatOf('file:///w/order.asl.yaml', 'asl'), 'json');
    assert.equal(formatOf('file:///w/order.asl.yaml', 'plaintext'), 'yaml');
  });
});
