/** Byte counts in the words of the service's messages: `1 KB`, `64 KB`, `5.0 MB`. */
export function byteSize(bytes: number): string {
  const MB = 1024 * 1024;
  if (bytes < MB) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / MB).toFixed(1)} MB`;
}
