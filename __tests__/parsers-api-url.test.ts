import { describe, it, expect } from '@jest/globals'
import { apiEndpoint, isLoopbackHost, parseApiUrl } from '../src/parsers/api-url.js'
import { splitHostAndPort } from '../src/parsers/host.js'
import { InputError } from '../src/parsers/input-error.js'
import { rejection } from './support/rejection.js'

const rejectionOf = (value: string): InputError => rejection(() => parseApiUrl(value))

describe('isLoopbackHost', () => {
  it.each<[string, boolean]>([
    ['localhost', true],
    ['LOCALHOST', true],
    ['localhost.', true],
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    // Other spellings of loopback addresses are not in the rule (127.0.0.0/8 dotted quads, localhost, [::1]).
    ['127.1', false],
    ['2130706433', false],
    ['0x7f.0.0.1', false],
    ['127.0.0.01', false],
    ['[::1]', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', false],
    ['[::ffff:127.0.0.1]', false],
    ['::ffff:7f00:1', false],
    ['128.0.0.1', false],
    ['126.255.255.255', false],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
    ['192.168.1.1', false],
    ['[::]', false],
    ['::2', false],
    ['[::ffff:10.0.0.1]', false],
    ['localhost.example.com', false],
    ['api.localhost', false],
    ['127.0.0.1.nip.io', false],
    ['localhost:8080', false],
    ['127.0.0.1:8080', false],
    ['127.0.0.1@evil.com', false],
    ['evil.com/127.0.0.1', false],
    ['127.0.0.256', false],
    ['', false]
  ])('%j -> %j', (hostname, loopback) => {
    expect(isLoopbackHost(hostname)).toBe(loopback)
  })
})

describe('parseApiUrl accepts', () => {
  it.each<[string, string]>([
    ['https://api.turso.tech', 'https://api.turso.tech/'],
    ['https://api.turso.tech/', 'https://api.turso.tech/'],
    ['  https://api.turso.tech  ', 'https://api.turso.tech/'],
    ['HTTPS://API.TURSO.TECH', 'https://api.turso.tech/'],
    ['https://api.turso.tech:8443', 'https://api.turso.tech:8443/'],
    ['https://api.turso.tech:443/', 'https://api.turso.tech/'],
    ['https://proxy.example.com/turso', 'https://proxy.example.com/turso'],
    ['https://proxy.example.com/turso/', 'https://proxy.example.com/turso'],
    ['https://proxy.example.com/a/b//', 'https://proxy.example.com/a/b'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/'],
    ['http://localhost:3000', 'http://localhost:3000/'],
    ['http://[::1]:3000', 'http://[::1]:3000/'],
    ['http://127.2.3.4', 'http://127.2.3.4/'],
    ['https://127.0.0.1:8443', 'https://127.0.0.1:8443/']
  ])('%j -> %j', (value, href) => {
    expect(parseApiUrl(value).href).toBe(href)
  })
})

describe('parseApiUrl rejects', () => {
  it.each<[string, RegExp]>([
    ['', /it is empty/],
    ['   ', /it is empty/],
    ['api.turso.tech', /not an absolute URL starting with https:\/\//],
    ['//api.turso.tech', /not an absolute URL/],
    ['https:api.turso.tech', /not an absolute URL/],
    ['http://api.turso.tech', /only for loopback hosts/],
    ['http://10.0.0.5:8080', /only for loopback hosts/],
    ['http://0.0.0.0:8080', /only for loopback hosts/],
    ['http://localhost.evil.com', /only for loopback hosts/],
    ['http://127.0.0.1.nip.io', /only for loopback hosts/],
    ['ftp://api.turso.tech', /scheme 'ftp:' is not https:/],
    ['file:///etc/passwd', /scheme 'file:'/],
    ['ws://localhost', /scheme 'ws:'/],
    ['https://', /no host|not a valid URL/],
    ['https://:443', /not a valid URL|no host/],
    ['https://api.turso.tech/?x=1', /remove the query string/],
    ['https://api.turso.tech?', /remove the query string/],
    ['https://api.turso.tech/#top', /remove the fragment/],
    ['https://api.turso.tech#', /remove the fragment/],
    ['https://proxy.example.com/a/../b', /'\.' or '\.\.' segments/],
    ['https://proxy.example.com/./b', /'\.' or '\.\.' segments/],
    ['https://proxy.example.com/a/%2e%2E', /'\.' or '\.\.' segments/],
    ['https://proxy.example.com/..', /'\.' or '\.\.' segments/],
    ['https://api.turso.tech/ v1', /whitespace/],
    ['https://api.turso.tech\n::error::x', /whitespace/],
    ['https://api.tur\tso.tech', /whitespace/],
    ['https:\\\\api.turso.tech', /'\\'/],
    ['https://api.turso.tech\\v1', /'\\'/],
    ['https://exa mple.com', /whitespace/]
  ])('%j', (value, reason) => {
    const error = rejectionOf(value)
    expect(error.input).toBe('api-url')
    expect(error.message).toMatch(/^Input 'api-url' must be an https:\/\/ URL such as https:\/\/api\.turso\.tech \(http:\/\/ only for loopback hosts/)
    expect(error.message).toMatch(reason)
    expect(error.message).not.toContain('\n')
  })

  it.each([
    'https://user:hunter2@api.turso.tech',
    'https://hunter2@api.turso.tech',
    'https://:hunter2@api.turso.tech/',
    'http://user:hunter2@127.0.0.1:8080',
    'https://user:hunter2@api.turso.tech/ x', // fails for a space, still redacted
    'ftp://user:hunter2@api.turso.tech'
  ])('rejects credentials in %j without echoing them', (value) => {
    const error = rejectionOf(value)
    expect(error.input).toBe('api-url')
    expect(error.message).not.toContain('hunter2')
    expect(error.message).toContain('<redacted>@')
  })

  it('says why credentials are refused', () => {
    expect(rejectionOf('https://u:p@api.turso.tech').message).toMatch(/remove the user name and password/)
  })
})

describe('apiEndpoint', () => {
  it.each<[string, string, string]>([
    ['https://api.turso.tech', '/v1/auth/validate', 'https://api.turso.tech/v1/auth/validate'],
    ['https://proxy.example.com/turso/', '/v1/auth/validate', 'https://proxy.example.com/turso/v1/auth/validate'],
    ['http://127.0.0.1:8080', '/v1/organizations/o/databases/d/auth/tokens', 'http://127.0.0.1:8080/v1/organizations/o/databases/d/auth/tokens'],
    ['https://api.turso.tech', `/v1/auth/api-tokens/${encodeURIComponent('a b/c?d#e')}`, 'https://api.turso.tech/v1/auth/api-tokens/a%20b%2Fc%3Fd%23e']
  ])('%j + %j', (base, path, href) => {
    expect(apiEndpoint(parseApiUrl(base), path).href).toBe(href)
  })

  it('does not change the base URL', () => {
    const base = parseApiUrl('https://proxy.example.com/turso')
    apiEndpoint(base, '/v1/x')
    expect(base.href).toBe('https://proxy.example.com/turso')
  })

  it('requires a leading slash', () => {
    expect(() => apiEndpoint(parseApiUrl('https://api.turso.tech'), 'v1/x')).toThrow(/must start with '\/'/)
  })
})

describe('splitHostAndPort (database Hostname as Turso reports it)', () => {
  it.each([
    ['my-db-my-org.turso.io', { host: 'my-db-my-org.turso.io' }],
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    ['[::1]:443', { host: '[::1]', port: 443 }]
  ])('%j splits', (value, expected) => {
    expect(splitHostAndPort(value)).toEqual(expected)
  })

  it.each(['', 'https://db.turso.io', 'db.turso.io/path', 'user@db.turso.io', 'db.turso.io:0', 'db.turso.io:65536', 'db turso.io', '-db.turso.io', 'db.turso.io\n'])(
    '%j is refused',
    (value) => {
      expect(splitHostAndPort(value)).toBeUndefined()
    }
  )
})
