/**
 * The object formats a Distributed Map ItemReader reads
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html): a JSON
 * array, JSON Lines, delimited text with a header row or given headers, and the CSV data files of
 * an S3 inventory. Each parser throws a ReadError whose message is the States.ItemReaderFailed
 * cause.
 */

/** A problem with the content of an object (the caller fails the Map with States.ItemReaderFailed). */
export class ReadError extends Error {}

/** ReaderConfig.CSVDelimiter values and the character each one stands for. */
export const CSV_DELIMITERS: Readonly<Record<string, string>> = {
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  SPACE: ' ',
  TAB: '\t',
};

/** The longest header row Step Functions reads (the ItemReader page: CSV headers of up to 10 KiB). */
export const CSV_HEADER_LIMIT = 10 * 1024;

/** The items of a JSON object: it must hold an array. */
export function parseJsonItems(text: string, where: string): unknown[] {
  let doc: unknown;
  try {
    doc = JSON.parse(stripBom(text));
  } catch (e) {
    throw new ReadError(`${where} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(doc)) throw new ReadError(`${where} must hold a JSON array to map over, got ${kindOf(doc)}.`);
  return doc;
}

/** One JSON value per non-empty line. */
export function parseJsonLines(text: string, where: string): unknown[] {
  const out: unknown[] = [];
  const lines = stripBom(text).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      out.push(JSON.parse(line));
    } catch (e) {
      throw new ReadError(`Line ${i + 1} of ${where} is not valid JSON: ${(e as Error).message}`);
    }
  }
  return out;
}

/**
 * Rows of delimited text as objects keyed by the headers (the first row, or `given`); every value
 * is a string, as Step Functions gives them. A short row gets "" for its missing columns and the
 * extra columns of a long row are dropped. Blank lines are skipped.
 */
export function parseCsvItems(text: string, where: string, delimiter: string, given?: string[]): unknown[] {
  const rows = parseCsv(stripBom(text), delimiter);
  let headers = given;
  if (!headers) {
    const first = rows.shift();
    if (!first) return [];
    headers = first;
  }
  if (Buffer.byteLength(headers.join(delimiter)) > CSV_HEADER_LIMIT)
    throw new ReadError(`The CSV headers of ${where} are longer than ${CSV_HEADER_LIMIT} bytes.`);
  const seen = new Set<string>();
  for (const h of headers) {
    if (seen.has(h)) throw new ReadError(`The CSV headers of ${where} name the column '${h}' twice.`);
    seen.add(h);
  }
  const out: Record<string, string>[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const item: Record<string, string> = {};
    for (let i = 0; i < headers.length; i++) item[headers[i]!] = row[i] ?? '';
    out[r] = item;
  }
  return out;
}

/** RFC 4180 records: quoted fields may hold the delimiter, newlines and doubled quotes; CRLF or LF ends a record. */
export function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  const endRow = (): void => {
    // a blank line is no record
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  while (i < n) {
    let field: string;
    if (text[i] === '"') {
      let j = i + 1;
      let buf = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          buf += text.slice(j);
          j = n;
          break;
        }
        buf += text.slice(j, q);
        if (text[q + 1] === '"') {
          buf += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      // anything between the closing quote and the delimiter is kept, as lenient readers do
      let k = j;
      while (k < n && text[k] !== delimiter && text[k] !== '\n' && text[k] !== '\r') k++;
      field = buf + text.slice(j, k);
      i = k;
    } else {
      let k = i;
      while (k < n && text[k] !== delimiter && text[k] !== '\n' && text[k] !== '\r') k++;
      field = text.slice(i, k);
      i = k;
    }
    row.push(field);
    if (i >= n) break;
    const c = text[i];
    if (c === delimiter) {
      i++;
      if (i >= n) row.push('');
    } else {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      endRow();
    }
  }
  if (row.length) endRow();
  return rows;
}

/**
 * An S3 inventory manifest (https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-inventory-location.html):
 * its destination bucket, the keys of its data files and the column names of their rows.
 * Step Functions reads CSV inventories only.
 */
export function parseInventoryManifest(
  text: string,
  where: string,
): { bucket: string; keys: string[]; columns: string[] } {
  let m: unknown;
  try {
    m = JSON.parse(stripBom(text));
  } catch (e) {
    throw new ReadError(`${where} is not valid JSON: ${(e as Error).message}`);
  }
  const o = (m && typeof m === 'object' ? m : {}) as Record<string, unknown>;
  if (o.fileFormat !== 'CSV')
    throw new ReadError(
      `${where} describes a ${JSON.stringify(o.fileFormat)} inventory; Step Functions reads CSV inventories only.`,
    );
  if (typeof o.fileSchema !== 'string' || !Array.isArray(o.files) || typeof o.destinationBucket !== 'string')
    throw new ReadError(`${where} is not an S3 inventory manifest: it needs destinationBucket, fileSchema and files.`);
  const keys: string[] = [];
  for (const f of o.files) {
    const key = f && typeof f === 'object' ? (f as { key?: unknown }).key : undefined;
    if (typeof key !== 'string') throw new ReadError(`${where} lists a file without a key.`);
    keys.push(key);
  }
  return {
    // "arn:aws:s3:::name" or a bare name
    bucket: o.destinationBucket.replace(/^arn:aws[\w-]*:s3:::/, ''),
    keys,
    columns: o.fileSchema.split(',').map((c) => c.trim()),
  };
}

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
