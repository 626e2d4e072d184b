/**
 * Distributed Map item readers over local stand-ins of S3 buckets: every ItemReader input
 * type, MaxItems, and keys that would leave the mapped folder. Sources: the Step Functions
 * developer guide pages on ItemReader and the Distributed Map state
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html and the
 * pages beside it).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { loadRunConfig } from '../src/config';
import { LocalS3 } from '../src/s3/localS3';
import { folder, getObject, machine, ok, removeFolders, run } from './distributedMapHost';

after(removeFolders);

describe('ItemReader input types', () => {
  it('JSON: the array in the object, each item through ItemSelector with $$.Map.Item', async () => {
    const dir = folder({ 'items.json': JSON.stringify([{ id: 1 }, { id: 2 }]) });
    const r = await run(
      machine({
        ...getObject('items.json', { InputType: 'JSON' }),
        ItemSelector: { 'id.$': '$$.Map.Item.Value.id', 'index.$': '$$.Map.Item.Index', 'job.$': '$.job' },
      }),
      { buckets: { data: dir } },
      { input: { job: 'j' } },
    );
    ok(r);
    assert.deepEqual(r.output, [
      { id: 1, index: 0, job: 'j' },
      { id: 2, index: 1, job: 'j' },
    ]);
  });

  it('JSON: an object that is not an array fails with States.ItemReaderFailed', async () => {
    const dir = folder({ 'items.json': '{"a": 1}' });
    const r = await run(machine(getObject('items.json', { InputType: 'JSON' })), { buckets: { data: dir } });
    assert.equal(r.error, 'States.ItemReaderFailed');
    assert.equal(r.cause, 's3://data/items.json must hold a JSON array to map over, got an object.');
  });

  it('JSONL: one item per line, blank lines skipped', async () => {
    const dir = folder({ 'in/rows.jsonl': '{"a":1}\n\n{"a":2}\n"three"\n' });
    const r = await run(machine(getObject('in/rows.jsonl', { InputType: 'JSONL' })), { buckets: { data: dir } });
    ok(r);
    assert.deepEqual(r.output, [{ a: 1 }, { a: 2 }, 'three']);
  });

  it('JSONL: a line that is not JSON names its line number', async () => {
    const dir = folder({ 'rows.jsonl': '{"a":1}\n{oops\n' });
    const r = await run(machine(getObject('rows.jsonl', { InputType: 'JSONL' })), { buckets: { data: dir } });
    assert.equal(r.error, 'States.ItemReaderFailed');
    assert.match(String(r.cause), /^Line 2 of s3:\/\/data\/rows\.jsonl is not valid JSON/);
  });

  it('CSV with FIRST_ROW headers: string values, quoted fields, MaxItems keeps the first rows', async () => {
    const dir = folder({ 'rows.csv': 'id,name,note\r\n1,Ann,"a, b"\r\n2,"Bo ""B""",\r\n3,Cy,x\r\n' });
    const r = await run(
      machine(getObject('rows.csv', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', MaxItems: 2 })),
      { buckets: { data: dir } },
    );
    ok(r);
    assert.deepEqual(r.output, [
      { id: '1', name: 'Ann', note: 'a, b' },
      { id: '2', name: 'Bo "B"', note: '' },
    ]);
  });

  for (const [name, delimiter] of [
    ['COMMA', ','],
    ['PIPE', '|'],
    ['SEMICOLON', ';'],
    ['SPACE', ' '],
    ['TAB', '\t'],
  ] as const) {
    it(`CSV with GIVEN headers and CSVDelimiter ${name}`, async () => {
      const dir = folder({ 'rows.csv': `1${delimiter}a\n2${delimiter}b\n` });
      const r = await run(
        machine(
          getObject('rows.csv', {
            InputType: 'CSV',
            CSVHeaderLocation: 'GIVEN',
            CSVHeaders: ['n', 'letter'],
            CSVDelimiter: name,
          }),
        ),
        { buckets: { data: dir } },
      );
      ok(r);
      assert.deepEqual(r.output, [
        { n: '1', letter: 'a' },
        { n: '2', letter: 'b' },
      ]);
    });
  }

  it('CSV with a header named twice fails with States.ItemReaderFailed', async () => {
    const dir = folder({ 'rows.csv': 'a,a\n1,2\n' });
    const r = await run(machine(getObject('rows.csv', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' })), {
      buckets: { data: dir },
    });
    assert.equal(r.error, 'States.ItemReaderFailed');
    assert.equal(r.cause, "The CSV headers of s3://data/rows.csv name the column 'a' twice.");
  });

  it('MANIFEST: the rows of the gzipped CSV files an S3 inventory manifest lists, keyed by its fileSchema', async () => {
    const manifest = {
      sourceBucket: 'photos',
      destinationBucket: 'arn:aws:s3:::inventory',
      fileFormat: 'CSV',
      fileSchema: 'Bucket, Key, Size',
      files: [{ key: 'photos/data/a.csv.gz', size: 1, MD5checksum: 'x' }, { key: 'photos/data/b.csv.gz' }],
    };
    const dir = folder({
      'manifest.json': JSON.stringify(manifest),
      'photos/data/a.csv.gz': gzipSync('"photos","2024/a.jpg","10"\n'),
      'photos/data/b.csv.gz': gzipSync('"photos","2024/b.jpg","20"\n'),
    });
    const r = await run(
      machine({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'MANIFEST' },
          Parameters: { Bucket: 'inventory', Key: 'manifest.json' },
        },
      }),
      { buckets: { inventory: dir } },
    );
    ok(r);
    assert.deepEqual(r.output, [
      { Bucket: 'photos', Key: '2024/a.jpg', Size: '10' },
      { Bucket: 'photos', Key: '2024/b.jpg', Size: '20' },
    ]);
  });

  it('MANIFEST of an ORC inventory fails and says only CSV inventories are read', async () => {
    const dir = folder({ 'manifest.json': JSON.stringify({ fileFormat: 'ORC', files: [] }) });
    const r = await run(machine(getObject('manifest.json', { InputType: 'MANIFEST' })), { buckets: { data: dir } });
    assert.equal(r.error, 'States.ItemReaderFailed');
    assert.equal(
      r.cause,
      's3://data/manifest.json describes a "ORC" inventory; Step Functions reads CSV inventories only.',
    );
  });

  it('listObjectsV2 (JSONata, Arguments): the objects under the prefix, sorted, in the listing item shape', async () => {
    const dir = folder({ 'in/b.txt': 'bb', 'in/a.txt': 'a', 'in/sub/c.txt': 'ccc', 'out/x.txt': 'x' });
    const r = await run(
      machine(
        {
          ItemReader: {
            Resource: 'arn:aws:states:::s3:listObjectsV2',
            ReaderConfig: { MaxItems: '{% $states.input.max %}' },
            Arguments: { Bucket: 'data', Prefix: '{% $states.input.prefix %}' },
          },
        },
        undefined,
        { QueryLanguage: 'JSONata' },
      ),
      { buckets: { data: dir } },
      { input: { prefix: 'in/', max: 10 } },
    );
    ok(r);
    const out = r.output as Array<Record<string, unknown>>;
    assert.deepEqual(
      out.map((o) => [o.Key, o.Size, o.StorageClass]),
      [
        ['in/a.txt', 1, 'STANDARD'],
        ['in/b.txt', 2, 'STANDARD'],
        ['in/sub/c.txt', 3, 'STANDARD'],
      ],
    );
    // md5 of "a", quoted as S3 gives ETags
    assert.equal(out[0]!.Etag, '"0cc175b9c0f1b6a831c399e269772661"');
    assert.equal(typeof out[0]!.LastModified, 'number');
  });

  it('MaxItemsPath selecting a value that is not a positive integer fails with States.ItemReaderFailed', async () => {
    const dir = folder({ 'items.json': '[1,2,3]' });
    const r = await run(
      machine(getObject('items.json', { InputType: 'JSON', MaxItemsPath: '$.max' })),
      {
        buckets: { data: dir },
      },
      { input: { max: 'two' } },
    );
    assert.equal(r.error, 'States.ItemReaderFailed');
    assert.match(String(r.cause), /'MaxItemsPath' \(\$\.max\).*must be an integer.*got "two"/);
  });
});

describe('local stand-ins of buckets', () => {
  it('refuses keys with a .. segment and symbolic links out of the folder', async () => {
    const outside = folder({ 'secret.json': '[1]' });
    const dir = folder({ 'ok.json': '[1]' });
    fs.symlinkSync(path.join(outside, 'secret.json'), path.join(dir, 'link.json'));
    const dotdot = await run(machine(getObject('../secret.json', { InputType: 'JSON' })), { buckets: { data: dir } });
    assert.equal(dotdot.error, 'States.ItemReaderFailed');
    assert.match(
      String(dotdot.cause),
      /^The key '\.\.\/secret\.json' of the bucket 'data' has a '\.\.' segment; local runs refuse it/,
    );
    const link = await run(machine(getObject('link.json', { InputType: 'JSON' })), { buckets: { data: dir } });
    assert.equal(link.error, 'States.ItemReaderFailed');
    assert.match(String(link.cause), /links to .*secret\.json, outside/);
    const writer = await run(
      machine({
        ItemsPath: '$.items',
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: 'data', Prefix: 'a/../../up' },
        },
      }),
      { buckets: { data: dir } },
      { input: { items: [1] } },
    );
    assert.equal(writer.error, 'States.ResultWriterFailed');
    assert.deepEqual(
      fs.readdirSync(path.dirname(dir)).filter((n) => n === 'up'),
      [],
    );
  });

  it('a bucket/prefix entry maps only the keys under the prefix; the longest entry wins; root holds the rest', () => {
    const base = folder({ 'all/x.txt': '1', 'in/a.txt': '2', 'root/other/y.txt': '3' });
    const s3 = new LocalS3({ s3: { root: 'root', buckets: { data: 'all', 'data/incoming/': 'in' } } }, base);
    assert.equal(s3.file('data', 'incoming/a.txt'), path.join(base, 'in', 'a.txt'));
    assert.equal(s3.file('data', 'x.txt'), path.join(base, 'all', 'x.txt'));
    assert.equal(s3.file('other', 'y.txt'), path.join(base, 'root', 'other', 'y.txt'));
    assert.deepEqual(
      s3.list('data').map((o) => o.Key),
      ['incoming/a.txt', 'x.txt'],
    );
  });

  it('relative folders resolve against the run config file; a malformed s3 section is refused when loading', () => {
    const dir = folder({
      'asl-workbench.run.json': JSON.stringify({ s3: { buckets: { data: './data' } } }),
      'm.asl.json': '{}',
      'bad/asl-workbench.run.json': JSON.stringify({ s3: { buckets: { data: 3 }, roots: 'x' } }),
      'bad/m.asl.json': '{}',
    });
    const cfg = loadRunConfig(path.join(dir, 'm.asl.json'));
    assert.ok(cfg.ok);
    assert.equal(new LocalS3(cfg.value).file('data', 'k.csv'), path.join(dir, 'data', 'k.csv'));
    const bad = loadRunConfig(path.join(dir, 'bad', 'm.asl.json'));
    assert.ok(!bad.ok);
    assert.equal(
      bad.error,
      `${path.join(dir, 'bad', 'asl-workbench.run.json')}: s3.roots is not a setting (use root or buckets); s3.buckets["data"] must be a folder path (a string)`,
    );
  });
});
