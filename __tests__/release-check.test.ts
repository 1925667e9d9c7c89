import { describe, expect, it } from '@jest/globals'
import { committedVersions, majorTag, releaseProblems } from '../scripts/release-check.js'
import { projectRoot } from '../scripts/lib/runner.js'

describe('release check', () => {
  it('moves the major tag of a plain vX.Y.Z release only', () => {
    expect(majorTag('v1.2.3')).toBe('v1')
    expect(majorTag('v12.0.10')).toBe('v12')
    for (const tag of ['1.2.3', 'v1.2', 'v1.2.3-rc.1', 'v01.2.3', 'v1.2.3 ', 'release-1']) expect(majorTag(tag)).toBeUndefined()
  })

  it('passes when package.json, src/version.ts and the tag agree', () => {
    expect(releaseProblems({ tag: 'v1.4.0', packageVersion: '1.4.0', actionVersion: '1.4.0' })).toEqual([])
  })

  it('names each version string that disagrees with the tag', () => {
    expect(releaseProblems({ tag: 'v1.4.0', packageVersion: '1.3.9', actionVersion: undefined })).toEqual([
      "package.json has version '1.3.9', the tag says 1.4.0",
      "src/version.ts has ACTION_VERSION '(none)', the tag says 1.4.0"
    ])
    expect(releaseProblems({ tag: 'v1.4.0', packageVersion: '1.4.0', actionVersion: '1.4.1' })).toEqual([
      "src/version.ts has ACTION_VERSION '1.4.1', the tag says 1.4.0"
    ])
  })

  it('refuses a tag that is not vX.Y.Z before comparing anything', () => {
    expect(releaseProblems({ tag: 'v2', packageVersion: '2.0.0', actionVersion: '2.0.0' })).toEqual(["the tag 'v2' is not a release tag vX.Y.Z"])
  })

  it('reads the committed version strings', () => {
    const committed = committedVersions(projectRoot)
    expect(committed.packageVersion).toMatch(/^\d+\.\d+\.\d+$/)
    expect(committed.actionVersion).toBe(committed.packageVersion)
  })
})
