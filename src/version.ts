/** Kept equal to package.json's version by a test; sent in the User-Agent. */
export const ACTION_VERSION = '1.0.0'
export const USER_AGENT = `turso-auth-token-action/${ACTION_VERSION} (+https://github.com/marketplace/actions/turso-auth-token)`
