/**
 * A small validator for the JSON-schema subset Turso's openapi.json uses (type, properties,
 * required, items, enum, nullable, $ref, allOf, oneOf, anyOf), plus a lookup of an operation's
 * response schema. The spec is the copy in emulator/reference/openapi.json (same bytes as
 * /work/shared/reference/openapi.json, sha256 0cf19e68…c8ba), so tests also run outside this machine.
 */
import { readFileSync } from 'node:fs'

export type JsonSchema = Record<string, unknown>

export interface OpenApiSpec {
  paths: Record<string, Record<string, unknown>>
  components: Record<string, unknown>
}

export function loadOpenApi(): OpenApiSpec {
  return JSON.parse(readFileSync(new URL('../../emulator/reference/openapi.json', import.meta.url), 'utf8')) as OpenApiSpec
}

/** Resolves a local JSON pointer such as `#/components/schemas/APIToken/properties/name`. */
export function resolvePointer(spec: OpenApiSpec, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`)
  let node: unknown = spec
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (typeof node !== 'object' || node === null || !(key in node)) throw new Error(`unresolvable $ref ${ref}`)
    node = (node as Record<string, unknown>)[key]
  }
  return node
}

function deref(spec: OpenApiSpec, schema: JsonSchema): JsonSchema {
  let current = schema
  for (let depth = 0; typeof current.$ref === 'string'; depth++) {
    if (depth > 20) throw new Error('$ref cycle')
    current = resolvePointer(spec, current.$ref) as JsonSchema
  }
  return current
}

export interface ResponseLookup {
  /** Whether the operation documents this status at all. */
  documented: boolean
  /** The application/json schema; undefined when the response has no body (e.g. rotate's 200). */
  schema?: JsonSchema
}

export function responseSchema(spec: OpenApiSpec, method: string, pathTemplate: string, status: number): ResponseLookup {
  const operation = spec.paths[pathTemplate]?.[method.toLowerCase()] as { responses?: Record<string, JsonSchema> } | undefined
  if (operation === undefined) throw new Error(`openapi.json has no operation ${method} ${pathTemplate}`)
  const response = operation.responses?.[String(status)]
  if (response === undefined) return { documented: false }
  const resolved = deref(spec, response) as { content?: Record<string, { schema?: JsonSchema }> }
  return { documented: true, schema: resolved.content?.['application/json']?.schema }
}

/** Property names a schema declares, through $ref and allOf. */
export function declaredProperties(spec: OpenApiSpec, schema: JsonSchema): string[] {
  const resolved = deref(spec, schema)
  const names = Object.keys((resolved.properties as Record<string, unknown> | undefined) ?? {})
  for (const member of (resolved.allOf as JsonSchema[] | undefined) ?? []) names.push(...declaredProperties(spec, member))
  return [...new Set(names)]
}

export interface ValidateOptions {
  /** Reject object keys the schema does not declare (where it declares any). */
  strict?: boolean
}

function typeMatches(type: unknown, value: unknown): boolean {
  switch (type) {
    case undefined:
      return true
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
    case 'array':
      return Array.isArray(value)
    case 'string':
      return typeof value === 'string'
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'number':
      return typeof value === 'number'
    case 'boolean':
      return typeof value === 'boolean'
    default:
      throw new Error(`unsupported schema type ${String(type)}`)
  }
}

function check(spec: OpenApiSpec, value: unknown, schema: JsonSchema, path: string, options: ValidateOptions, checkKeys: boolean): string[] {
  const s = deref(spec, schema)
  if (value === null && s.nullable === true) return []
  const errors: string[] = []

  for (const member of (s.allOf as JsonSchema[] | undefined) ?? []) errors.push(...check(spec, value, member, path, options, false))
  if (Array.isArray(s.oneOf)) {
    const passing = (s.oneOf as JsonSchema[]).filter((m) => check(spec, value, m, path, options, checkKeys).length === 0).length
    if (passing !== 1) errors.push(`${path}: matches ${passing} of oneOf, expected exactly 1`)
  }
  if (Array.isArray(s.anyOf) && !(s.anyOf as JsonSchema[]).some((m) => check(spec, value, m, path, options, checkKeys).length === 0)) {
    errors.push(`${path}: matches none of anyOf`)
  }

  const properties = s.properties as Record<string, JsonSchema> | undefined
  // A schema with properties (its own or through allOf) but no type describes an object.
  const type = s.type ?? (declaredProperties(spec, s).length > 0 ? 'object' : undefined)
  if (!typeMatches(type, value)) return [...errors, `${path}: expected ${String(type)}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`]
  if (Array.isArray(s.enum) && !s.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`)

  if (type === 'object') {
    const object = value as Record<string, unknown>
    for (const name of (s.required as string[] | undefined) ?? []) if (!(name in object)) errors.push(`${path}: missing required property "${name}"`)
    for (const [name, propertySchema] of Object.entries(properties ?? {})) {
      if (name in object) errors.push(...check(spec, object[name], propertySchema, `${path}.${name}`, options, true))
    }
    if (options.strict === true && checkKeys) {
      const declared = declaredProperties(spec, s)
      if (declared.length > 0) for (const key of Object.keys(object)) if (!declared.includes(key)) errors.push(`${path}: undeclared property "${key}"`)
    }
  }
  if (type === 'array' && s.items !== undefined) {
    ;(value as unknown[]).forEach((item, i) => errors.push(...check(spec, item, s.items as JsonSchema, `${path}[${i}]`, options, true)))
  }
  return errors
}

/** Returns the list of violations (empty when the value conforms). */
export function validateAgainstSchema(spec: OpenApiSpec, value: unknown, schema: JsonSchema, options: ValidateOptions = {}): string[] {
  return check(spec, value, schema, '$', options, true)
}
