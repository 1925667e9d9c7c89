/** `npm run emulator` (tsx emulator/cli.ts): prints its URL and token, serves, and closes on SIGTERM/SIGINT. */
import { describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { loadDefaultSeed } from '../emulator/seed.js'

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
