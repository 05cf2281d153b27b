// Binding and stopping the operator's small HTTP(S) servers (probes, metrics), the same way for
// each: a bind error rejects instead of crashing the process, and a stop does not wait for a
// scraper's or kubelet's keep-alive connection to time out.
import type { AddressInfo, Server } from 'node:net';

/** Resolves with the port actually bound (useful with port 0). */
export function listen(server: Server, port: number, host = '0.0.0.0'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Stops accepting and drops idle and open connections at once. */
export function close(server: Server & { closeAllConnections(): void }): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
