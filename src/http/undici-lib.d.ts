// undici's files, imported one by one in undici.ts, where each gets its type from undici's own
// declarations for the index.
declare module 'undici/lib/*' {
  const value: unknown
  export default value
}
