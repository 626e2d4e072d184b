/** Which addresses and URLs stay on this machine: what the local endpoints bind to and trust. */
import net from 'node:net';

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  return a === '::1' || (net.isIPv4(a) && a.startsWith('127.'));
}

/** True for the any-address binds 0.0.0.0 and ::. */
export const isWildcard = (address: string): boolean => address === '0.0.0.0' || address === '::';

/** True when a URL's host is this machine: `localhost` or a loopback address. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || isLoopback(host.replace(/^\[(.*)\]$/, '$1'));
}
