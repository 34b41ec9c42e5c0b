/**
 * The real import CLI in a child process, pointed at a test's own lake through the
 * environment, as an archivist runs it. Asynchronous: the lake runs in the test's process and
 * must keep answering while the CLI waits on it.
 */
import {spawn} from 'node:child_process'
import {join} from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `scripts/import/cli.ts args` in `work`, against the lake on `port` with its data in `work/lake`. */
export function runImportCli(args: string[], {port, work}: {port: number; work: string}): Promise<CliRun> {
  const env: Record<string, string | undefined> = {...process.env, LAKE_PORT: String(port), LAKE_DATA_DIR: join(work, 'lake')}
  // Always the local lake, whatever the shell has configured.
  delete env.SANITY_STUDIO_PROJECT_ID
  delete env.SANITY_API_TOKEN
  delete env.SANITY_STUDIO_DATASET
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'import', 'cli.ts'), ...args], {cwd: work, env, timeout: 120_000})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stdout, stderr}))
  })
}
