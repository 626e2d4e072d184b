/** `asl-workbench run` — placeholder until its issue lands; replaced by the real command. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('asl-workbench run: not implemented yet\n');
  return 2;
}
