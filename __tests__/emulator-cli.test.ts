/** `npm run emulator` (tsx emulator/cli.ts): prints its URL and token, serves, and closes on SIGTERM/SIGINT. */
import { describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { loadDefaultSeed } from '../emulator/seed.js'
import { spawnCollecting } from '../scripts/lib/runner.js'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url))

function startCli(): { child: ChildProcess; output: () => string; ready: Promise<{ url: string; token: string }>; exited: Promise<number | null> } {
  const child = spawn(tsx, ['emulator/cli.ts', '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const ready = new Promise<{ url: string; token: string }>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1]
      const token = /API token: (\S+)/.exec(output)?.[1]
      if (url !== undefined && token !== undefined && output.includes('Control routes')) resolve({ url, token })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', () => reject(new Error(`emulator CLI exited early:\n${output}`)))
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, output: () => output, ready, exited }
}

describe('the emulator CLI', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('serves the seeded API and exits 0 on %s', async (signal) => {
    const cli = startCli()
    try {
      const { url, token } = await cli.ready
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(token).toBe('emulator-api-token-0001')
      expect(cli.output()).toMatch(/acme\/app-db {2}127\.0\.0\.1:\d+/)
      // Every seeded API token by name, with the organization (and group) it is scoped to.
      const expected = loadDefaultSeed().apiTokens.map(({ name, organization, group }) =>
        organization === undefined ? name : `${name} (${[organization, group].filter(Boolean).join('/')})`
      )
      expect(cli.output()).toContain(`Seeded API tokens (token-name for revoke): ${expected.join(', ')}\n`)
      const validated = await fetch(`${url}/v1/auth/validate`, { headers: { authorization: `Bearer ${token}` } })
      expect(await validated.json()).toEqual({ exp: -1 })
      cli.child.kill(signal)
      expect(await cli.exited).toBe(0)
      expect(cli.output()).toContain(`${signal} received, closing the emulator`)
      await expect(fetch(`${url}/v1/auth/validate`)).rejects.toThrow()
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL')
    }
  })
})

describe('the emulator CLI on another port than 8787', () => {
  it('--port 0 prints the URLs to use instead of the default, the GitHub one included', async () => {
    const cli = startCli()
    try {
      const { url } = await cli.ready
      expect(cli.output()).toContain(`Not the default port 8787: use api-url ${url} (INPUT_API-URL in .env) and GITHUB_API_URL=${url}/github\n`)
      expect(cli.output()).toContain(`GitHub secrets API: ${url}/github  (GITHUB_API_URL; any non-empty github-token)\n`)
      const key = await fetch(`${url}/github/repos/acme/app/actions/secrets/public-key`, { headers: { authorization: 'token any' } })
      expect(key.status).toBe(200)
      cli.child.kill('SIGTERM')
      expect(await cli.exited).toBe(0)
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL')
    }
  })

  it('a taken port fails with a message that names --port and --port 0', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as { port: number }
    try {
      const result = await spawnCollecting(tsx, [`${repoRoot}emulator/cli.ts`, '--port', String(port)], { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' })
      expect(result.exitCode).toBe(1)
      expect(result.stderr).toBe(
        `Turso emulator failed to start: port ${port} on 127.0.0.1 is already in use (another emulator still running?). ` +
          'Stop that process, or choose another port: npm run emulator -- --port N, or --port 0 for any free port (the URL to use is printed).\n'
      )
      expect(result.stdout).toBe('')
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })
})

describe('.env.example', () => {
  it('says how to use another port than the 8787 it writes, and where the GitHub side is', () => {
    const text = readFileSync(`${repoRoot}.env.example`, 'utf8')
    const lines = text.split('\n')
    const apiUrl = lines.findIndex((line) => line.startsWith('INPUT_API-URL='))
    expect(lines[apiUrl]).toBe('INPUT_API-URL=http://127.0.0.1:8787')
    expect(lines.slice(apiUrl - 2, apiUrl).join('\n')).toMatch(/--port N.*\n.*--port 0.*prints the URL/u)
    expect(text).toContain('\nGITHUB_API_URL=http://127.0.0.1:8787/github\nINPUT_GITHUB-TOKEN=emulator-github-token\nINPUT_SECRET-NAME=TURSO_DB_TOKEN\nINPUT_SECRET-REPOSITORY=acme/app\n')
    // Why @github/local-action shows no `token` output: documented where its inputs are set.
    expect(text).toContain('"Skip output token since it may contain secret."')
  })

  it('npm run local-action pins @github/local-action and keeps npm to errors (its Azure and content-type dependencies warn EBADENGINE on Node 20)', () => {
    const scripts = (JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts
    expect(scripts['local-action']).toBe('npx --yes --loglevel=error @github/local-action@7.0.1 run . src/main.ts .env')
  })
})
