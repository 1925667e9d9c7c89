// Everything the entry loads after the early start, as one chunk (dist/<id>.index.js).
export { run } from '../main.js'
export { noteMaskedSecret } from '../runner/secrets.js'
