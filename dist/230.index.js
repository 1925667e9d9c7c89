export const id = 230;
export const ids = [230];
export const modules = {

/***/ 1230:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  storeSecret: () => (/* binding */ storeSecret)
});

// UNUSED EXPORTS: GitHubSecretError

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
// EXTERNAL MODULE: ./src/parsers/api-url.ts
var api_url = __webpack_require__(8568);
// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/@noble/hashes/blake2.js + 4 modules
var blake2 = __webpack_require__(904);
// EXTERNAL MODULE: ./node_modules/@noble/ciphers/salsa.js + 2 modules
var salsa = __webpack_require__(5851);
// EXTERNAL MODULE: ./node_modules/@noble/ciphers/utils.js
var utils = __webpack_require__(717);
;// CONCATENATED MODULE: ./src/github/sealed-box.ts
/**
 * libsodium `crypto_box_seal`, the format GitHub's secrets API expects
 * (https://docs.github.com/rest/guides/encrypting-secrets-for-the-rest-api).
 *
 *   sealed = ephemeralPk || crypto_box(message, nonce, recipientPk, ephemeralSk)
 *   nonce  = BLAKE2b-192(ephemeralPk || recipientPk)
 *   crypto_box = XSalsa20-Poly1305 keyed with HSalsa20(X25519(ephemeralSk, recipientPk))
 *
 * Why these libraries: X25519 comes from node:crypto (OpenSSL, zero bundle
 * cost); BLAKE2b and XSalsa20-Poly1305/HSalsa20 come from @noble/hashes and
 * @noble/ciphers: audited, actively maintained, pure JS, small and
 * tree-shakeable, so only these three primitives land in the bundle.
 * libsodium-wrappers would add a large WASM/asm.js blob for one function, and
 * tweetnacl is unmaintained since 2020 and has no BLAKE2b (it would need a
 * second package for the nonce). libsodium-wrappers is used by the tests as
 * the independent implementation that must open what this seals.
 */




const KEY_BYTES = 32;
const NONCE_BYTES = 24;
/** Encrypts `message` so that only the holder of `recipientPublicKey`'s private key can read it. */
function sealedBox(message, recipientPublicKey) {
    if (recipientPublicKey.length !== KEY_BYTES) {
        throw new Error(`sealed box: the recipient public key must be ${KEY_BYTES} bytes, got ${recipientPublicKey.length}`);
    }
    const ephemeral = (0,external_node_crypto_.generateKeyPairSync)('x25519');
    const ephemeralPublicKey = rawPublicKey(ephemeral.publicKey);
    const sharedSecret = new Uint8Array((0,external_node_crypto_.diffieHellman)({ privateKey: ephemeral.privateKey, publicKey: x25519PublicKey(recipientPublicKey) }));
    // libsodium refuses an all-zero shared secret (a low-order recipient key); so do we.
    if (sharedSecret.every((byte) => byte === 0)) {
        throw new Error('sealed box: the recipient public key is not a valid X25519 key');
    }
    const boxKey = cryptoBoxBeforeNm(sharedSecret);
    const nonce = (0,blake2/* blake2b */.Sx)(concatBytes(ephemeralPublicKey, recipientPublicKey), { dkLen: NONCE_BYTES });
    const macAndCiphertext = (0,salsa/* xsalsa20poly1305 */.uT)(boxKey, nonce).encrypt(message);
    sharedSecret.fill(0);
    boxKey.fill(0);
    return concatBytes(ephemeralPublicKey, macAndCiphertext);
}
/** crypto_box_beforenm: HSalsa20 of the X25519 output with a zero nonce and the "expand 32-byte k" constant. */
function cryptoBoxBeforeNm(sharedSecret) {
    const sigma = (0,utils/* u32 */.DH)(new TextEncoder().encode('expand 32-byte k'));
    const key = new Uint32Array(8);
    (0,salsa/* hsalsa */.bD)(sigma, (0,utils/* u32 */.DH)(sharedSecret), new Uint32Array(4), key);
    return new Uint8Array(key.buffer);
}
function rawPublicKey(key) {
    const { x } = key.export({ format: 'jwk' });
    if (x === undefined)
        throw new Error('sealed box: X25519 key export returned no public key');
    return new Uint8Array(Buffer.from(x, 'base64url'));
}
function x25519PublicKey(raw) {
    return (0,external_node_crypto_.createPublicKey)({
        key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(raw).toString('base64url') },
        format: 'jwk'
    });
}
function concatBytes(first, second) {
    const joined = new Uint8Array(first.length + second.length);
    joined.set(first, 0);
    joined.set(second, first.length);
    return joined;
}

// EXTERNAL MODULE: ./src/github/secret-error.ts
var secret_error = __webpack_require__(8192);
// EXTERNAL MODULE: ./src/github/secret-target.ts
var secret_target = __webpack_require__(4017);
// EXTERNAL MODULE: ./src/http/retry-policy.ts
var retry_policy = __webpack_require__(7593);
;// CONCATENATED MODULE: ./src/github/request-policy.ts

/** A failure that has no usable HTTP answer: timeout, unreachable host, or a refused redirect. */
class GitHubRequestFailure extends Error {
    kind;
    status;
    name = 'GitHubRequestFailure';
    constructor(kind, message, status) {
        super(message);
        this.kind = kind;
        this.status = status;
    }
}
/** The longest Retry-After we honour; longer requests are clamped to this. */
const MAX_RETRY_AFTER_MS = 60_000;
function applyRequestPolicy(client, policy) {
    const attempts = Math.max(0, Math.floor(policy.retries)) + 1;
    client.hook.wrap('request', async (request, options) => {
        for (let attempt = 1;; attempt++) {
            const signal = AbortSignal.timeout(policy.timeoutMs);
            // before-after-hook binds the inner hooks (auth) to this very `options`
            // object and ignores arguments passed to `request`, so per-attempt
            // settings must be set on it. A new `request` object, because the one
            // there may be the client's shared defaults.
            options.request = { ...options.request, signal, redirect: 'manual' };
            let outcome;
            try {
                const response = await request(options);
                if (response.status < 300 || response.status >= 400)
                    return response;
                const location = typeof response.headers.location === 'string' ? response.headers.location : 'another URL';
                throw new GitHubRequestFailure('redirect', `GitHub redirected the request (HTTP ${response.status}) to ${location}`, response.status);
            }
            catch (error) {
                outcome = classifyFailure(error, signal, policy.timeoutMs);
            }
            if (!outcome.retryable || attempt >= attempts)
                throw outcome.error;
            const waitMs = outcome.retryAfterMs ?? (0,retry_policy/* backoffMs */.jo)(attempt, { baseDelayMs: policy.baseDelayMs, maxDelayMs: MAX_RETRY_AFTER_MS });
            policy.log(`GitHub API ${options.method} ${options.url}: ${outcome.reason}; ` +
                `retrying in ${(waitMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${attempts})`);
            await new Promise((resolve) => setTimeout(resolve, waitMs));
        }
    });
}
function classifyFailure(error, signal, timeoutMs) {
    if (error instanceof GitHubRequestFailure)
        return { error, reason: error.message, retryable: false };
    if (signal.aborted) {
        const timeout = new GitHubRequestFailure('timeout', `no answer within ${(timeoutMs / 1000).toFixed(1)} s`);
        return { error: timeout, reason: timeout.message, retryable: true };
    }
    const shape = (typeof error === 'object' && error !== null ? error : {});
    const headers = shape.response?.headers;
    if (headers === undefined) {
        // Octokit reports fetch failures (DNS, refused connection, reset) as an
        // HttpError without a response; anything else is a bug, not a transient failure.
        if (shape.name !== 'HttpError')
            return { error: toError(error), reason: String(error), retryable: false };
        const message = typeof shape.message === 'string' ? shape.message : 'network error';
        return { error: new GitHubRequestFailure('network', message), reason: message, retryable: true };
    }
    const status = typeof shape.status === 'number' ? shape.status : 0;
    const wrapped = toError(error);
    const reason = `HTTP ${status} ${wrapped.message}`;
    const askedFor = typeof headers['retry-after'] === 'string' ? (0,retry_policy/* retryAfterMs */.Vs)(headers['retry-after']) : undefined;
    const retryAfter = askedFor === undefined ? undefined : Math.min(askedFor, MAX_RETRY_AFTER_MS);
    const secondaryRateLimit = status === 403 && retryAfter !== undefined;
    if (status === 408 || status === 429 || status >= 500 || secondaryRateLimit) {
        return { error: wrapped, reason, retryable: true, retryAfterMs: retryAfter };
    }
    return { error: wrapped, reason, retryable: false };
}
function toError(error) {
    return error instanceof Error ? error : new Error(String(error));
}

// EXTERNAL MODULE: ./src/runner/secrets.ts
var runner_secrets = __webpack_require__(2995);
;// CONCATENATED MODULE: ./src/github/failure-guidance.ts
/**
 * Turns a failed GitHub call into a message that says what GitHub answered
 * and what the user should do next (token, permissions, names, retry later).
 */


/** Turns an Octokit/transport error into "what GitHub said. What to do next." */
function explainFailure(error, target, retries) {
    const attempts = `${Math.max(0, Math.floor(retries)) + 1} attempt(s)`;
    if (error instanceof GitHubRequestFailure) {
        switch (error.kind) {
            case 'timeout':
                return { message: `${error.message} after ${attempts}. GitHub may be slow or unreachable; try again later.` };
            case 'network':
                return {
                    message: `${error.message}. Check that the GitHub API URL is reachable from the runner; ${attempts} made.`
                };
            case 'redirect':
                return {
                    status: error.status,
                    message: `${error.message}; redirects are not followed so the token is not sent elsewhere. If the repository was renamed or transferred, use its current owner/name.`
                };
        }
    }
    const shape = (typeof error === 'object' && error !== null ? error : {});
    const status = typeof shape.status === 'number' ? shape.status : undefined;
    const data = shape.response?.data;
    const gitHubMessage = typeof data === 'object' && data !== null && typeof data.message === 'string'
        ? data.message
        : typeof shape.message === 'string'
            ? shape.message
            : String(error);
    const said = status === undefined ? gitHubMessage : `${gitHubMessage} (HTTP ${status})`;
    return { status, message: `${said}. ${guidanceFor(status, target, attempts)}`.trimEnd() };
}
function guidanceFor(status, target, attempts) {
    const environment = target.environment !== undefined;
    if (status === 401) {
        return 'The github-token was rejected: it is wrong, expired or revoked. Update the github-token input with a valid token.';
    }
    if (status === 403 || status === 404) {
        const notFound = status === 404
            ? `GitHub answers 404 for repositories the token cannot see, so check both the name ${target.repository}` +
                (environment ? `, that environment "${target.environment}" exists,` : '') +
                ' and the token permissions. '
            : '';
        return (`${notFound}The github-token lacks permission to write secrets: a fine-grained token needs ` +
            `"Secrets: Read and write"${environment ? ' and "Environments: Read and write"' : ''} on ${target.repository}, ` +
            'a classic token needs the `repo` scope. The default GITHUB_TOKEN cannot write secrets.');
    }
    if (status === 422)
        return 'GitHub rejected the request; if the public key was just rotated, run the step again.';
    if (status === 408 || status === 429 || (status !== undefined && status >= 500)) {
        return `GitHub still failed after ${attempts}; try again later.`;
    }
    return '';
}
/** Defence in depth: no message leaves this module carrying the value or the token. */
function scrub(message, ...secrets) {
    return (0,runner_secrets/* replaceSecrets */.Et)(message, secrets.filter((secret) => secret.length >= 6));
}

;// CONCATENATED MODULE: ./src/github/secret-store.ts
/**
 * Stores a value as a GitHub Actions secret (repository or environment):
 * read the target's public key, seal the value to it, PUT the ciphertext.
 * Loaded lazily by the action only when `secret-name` is set, so
 * @actions/github stays out of the other operations' start-up path.
 *
 * REST endpoints (https://docs.github.com/rest/actions/secrets):
 *   GET /repos/{owner}/{repo}/actions/secrets/public-key
 *   PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}
 *   GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key
 *   PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}
 */









/** Encrypts `value` with the target's public key and writes it as the secret `target.secretName`. */
async function storeSecret(value, target, options) {
    (0,secret_target/* assertValidSecretTarget */.iL)(target);
    const valueBytes = new TextEncoder().encode(value);
    if (valueBytes.length === 0)
        throw new secret_error/* GitHubSecretError */.C('Refusing to store an empty value as a GitHub secret.');
    if (valueBytes.length > secret_target/* MAX_SECRET_BYTES */.sU) {
        throw new secret_error/* GitHubSecretError */.C(`The value is ${valueBytes.length} bytes; GitHub secrets are limited to 48 KB.`);
    }
    if (options.githubToken === '') {
        throw new secret_error/* GitHubSecretError */.C('github-token is required to write a GitHub secret.');
    }
    const baseUrl = resolveApiUrl(options.apiUrl);
    const client = (0,github/* getOctokit */.Q)(options.githubToken, { baseUrl, userAgent: version/* USER_AGENT */._ });
    applyRequestPolicy(client, {
        retries: options.retries,
        timeoutMs: options.timeoutMs,
        baseDelayMs: options.retryBaseDelayMs ?? 1000,
        log: options.log
    });
    const [owner = '', repo = ''] = target.repository.split('/');
    const location = (0,secret_target/* describeSecretLocation */.R9)(target);
    const fail = (step, error) => {
        const failure = explainFailure(error, target, options.retries);
        return new secret_error/* GitHubSecretError */.C(scrub(`Could not write secret ${target.secretName} to ${location}: ${step}: ${failure.message}`, value, options.githubToken), failure.status);
    };
    let publicKey;
    try {
        const response = target.environment === undefined
            ? await client.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', { owner, repo })
            : await client.request('GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key', {
                owner,
                repo,
                environment_name: target.environment
            });
        publicKey = parsePublicKey(response.data);
    }
    catch (error) {
        throw fail('reading its public key failed', error);
    }
    const encryptedValue = Buffer.from(sealedBox(valueBytes, publicKey.key)).toString('base64');
    let status;
    try {
        const body = { encrypted_value: encryptedValue, key_id: publicKey.keyId };
        const response = target.environment === undefined
            ? await client.request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
                owner,
                repo,
                secret_name: target.secretName,
                ...body
            })
            : await client.request('PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}', {
                owner,
                repo,
                environment_name: target.environment,
                secret_name: target.secretName,
                ...body
            });
        status = response.status;
    }
    catch (error) {
        throw fail('writing the encrypted value failed', error);
    }
    options.log(`GitHub secret ${target.secretName} ${status === 201 ? 'created' : 'updated'} in ${location}.`);
}
function parsePublicKey(data) {
    const { key_id: keyId, key } = (typeof data === 'object' && data !== null ? data : {});
    const keyBytes = typeof key === 'string' ? Buffer.from(key, 'base64') : Buffer.alloc(0);
    if (typeof keyId !== 'string' || keyId === '' || keyBytes.length !== 32) {
        throw new Error('GitHub answered without a valid key_id and 32-byte base64 key');
    }
    return { keyId, key: new Uint8Array(keyBytes) };
}
/** GitHub Enterprise Server sets GITHUB_API_URL; plain http is allowed only for loopback (tests, emulators). */
function resolveApiUrl(explicit) {
    const raw = explicit || process.env.GITHUB_API_URL || 'https://api.github.com';
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        throw new secret_error/* GitHubSecretError */.C(`Invalid GitHub API URL "${raw}".`);
    }
    if (url.username !== '' || url.password !== '') {
        throw new secret_error/* GitHubSecretError */.C('Refusing a GitHub API URL that contains credentials; pass the token as github-token.');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (0,api_url/* isLoopbackHost */.cW)(url.hostname))) {
        throw new secret_error/* GitHubSecretError */.C(`Refusing GitHub API URL "${raw}": it must use https:// (http:// only for loopback hosts).`);
    }
    return raw.replace(/\/+$/, '');
}


/***/ })

};

//# sourceMappingURL=230.index.js.map