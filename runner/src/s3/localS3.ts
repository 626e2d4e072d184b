/**
 * Local folders standing in for S3 buckets, for the ItemReader and ResultWriter of Distributed
 * Map states. Which folder holds a bucket (or a key prefix of it) comes from the run config's
 * `s3` section (asl/src/runConfig.ts `s3Location`); `asl-workbench run --s3-root DIR` sets its
 * `root`. Every path stays inside its mapped folder: a key with a `..` segment, or one that
 * would resolve outside the folder, is refused.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { s3Folders, s3Location, s3MappingHint, type S3StandIns } from '../../../asl/src/runConfig';
import type { LocalRunConfig } from '../drivers/types';

/** A problem with a local stand-in (unmapped bucket, refused key, missing object); the caller names the AWS error. */
export class S3StandInError extends Error {}

/** One object of a listing, in the shape Step Functions gives each listObjectsV2 item. */
export interface S3ListItem {
  Etag: string;
  Key: string;
  LastModified: number;
  Size: number;
  StorageClass: string;
}

/** The local stand-ins of one run: reads, lists and writes objects in mapped folders. */
export class LocalS3 {
  private readonly s3: S3StandIns | undefined;
  private readonly base: string;

  /** `baseDir` resolves relative folders when the config was not loaded from a file. */
  constructor(config: LocalRunConfig, baseDir?: string) {
    this.s3 = config.s3;
    this.base = config.configPath ? path.dirname(config.configPath) : (baseDir ?? process.cwd());
  }

  /** The local file of `s3://bucket/key`; throws S3StandInError when it has none or the key escapes. */
  file(bucket: string, key: string): string {
    return this.locate(bucket, key).file;
  }

  private locate(bucket: string, key: string): { file: string; folder: string } {
    const loc = s3Location(this.s3, bucket, key);
    if (!loc) throw new S3StandInError(`The bucket '${bucket}' has no local stand-in. ${s3MappingHint(bucket)}`);
    const folder = path.resolve(this.base, loc.folder);
    if (key.split('/').includes('..'))
      throw new S3StandInError(
        `The key '${key}' of the bucket '${bucket}' has a '..' segment; local runs refuse it so that no path leaves ${folder}.`,
      );
    const file = path.resolve(folder, loc.rest);
    const rel = path.relative(folder, file);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel))
      throw new S3StandInError(`The key '${key}' of the bucket '${bucket}' does not name a file inside ${folder}.`);
    return { file, folder };
  }

  /** The bytes of an object. */
  read(bucket: string, key: string): Buffer {
    const { file, folder } = this.locate(bucket, key);
    try {
      // a symbolic link inside the folder must not lead out of it either
      const real = fs.realpathSync(file);
      const rel = path.relative(fs.realpathSync(folder), real);
      if (rel.startsWith('..') || path.isAbsolute(rel))
        throw new S3StandInError(`The key '${key}' of the bucket '${bucket}' links to ${real}, outside ${folder}.`);
      return fs.readFileSync(real);
    } catch (e) {
      if (e instanceof S3StandInError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new S3StandInError(
        code === 'ENOENT' || code === 'EISDIR'
          ? `The object s3://${bucket}/${key} does not exist locally (looked for ${file}).`
          : `Cannot read s3://${bucket}/${key} from ${file}: ${(e as Error).message}`,
      );
    }
  }

  /** Writes an object, creating its folders. */
  write(bucket: string, key: string, body: string): void {
    const file = this.file(bucket, key);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, body);
    } catch (e) {
      throw new S3StandInError(`Cannot write s3://${bucket}/${key} to ${file}: ${(e as Error).message}`);
    }
  }

  /**
   * The objects of `bucket` whose keys start with `prefix`, sorted by key as S3 lists them. A key
   * that several mappings could hold is listed once, from the folder `file()` would use.
   * Symbolic links are not followed, so a listing never leaves the mapped folders.
   */
  list(bucket: string, prefix = ''): S3ListItem[] {
    const folders = s3Folders(this.s3, bucket);
    if (!folders.length)
      throw new S3StandInError(`The bucket '${bucket}' has no local stand-in. ${s3MappingHint(bucket)}`);
    const found = new Map<string, string>();
    for (const { folder, keyPrefix } of folders) {
      const root = path.resolve(this.base, folder);
      for (const rel of walk(root)) {
        const key = keyPrefix + rel;
        if (!key.startsWith(prefix) || found.has(key)) continue;
        const file = path.join(root, ...rel.split('/'));
        if (this.file(bucket, key) === file) found.set(key, file);
      }
    }
    const keys = [...found.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return keys.map((Key) => {
      const file = found.get(Key)!;
      const stat = fs.statSync(file);
      return {
        Etag: `"${createHash('md5').update(fs.readFileSync(file)).digest('hex')}"`,
        Key,
        LastModified: Math.floor(stat.mtimeMs / 1000),
        Size: stat.size,
        StorageClass: 'STANDARD',
      };
    });
  }
}

/** Relative paths (with `/`) of the regular files under `root`; none when it does not exist. */
function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(path.join(dir, e.name), r);
      else if (e.isFile()) out.push(r);
    }
  };
  visit(root, '');
  return out;
}
