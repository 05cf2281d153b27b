// Cloud errors whose meaning is the same on every cloud, so the managed core can act on them
// without knowing which client threw them.
import { InvalidSpecError, TerminalError, TransientError } from '../runtime/errors.ts';

/**
 * A 404 that is not the API's own "no such cluster" answer (a wrong endpoint, a proxy, a route
 * the region does not serve), or one that a lookup of the same API could not confirm. It proves
 * nothing about the cluster, so the finalizer stays and a human checks the endpoint.
 */
export class EndpointNotFoundError extends TerminalError {
  /** The URL that answered 404, without its query. */
  readonly url: string;
  constructor(url: string, detail: string) {
    super(
      'EndpointNotFound',
      `${url} answered 404 (${detail}); the operator cannot tell whether the cluster exists. ` +
        "Check the region's endpoint in the operator configuration; the finalizer stays until the cloud answers for the cluster",
    );
    this.url = url;
  }
}

/** The cloud refused a create because a live cluster already has the name (Hadoop Eco 409, spec §6.2). */
export class ClusterNameTakenError extends InvalidSpecError {
  readonly clusterName: string;
  constructor(clusterName: string, message: string) {
    super('ClusterNameTaken', message);
    this.clusterName = clusterName;
  }
}

/** A GET said 404 while the list of the same API still shows the cluster alive: ask again later. */
export class CloudInconsistentError extends TransientError {
  constructor(message: string) {
    super('CloudInconsistent', message);
  }
}

/** The URL of a request as an error may quote it: scheme, host and path, never the query. */
export function urlForMessage(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return `${u.origin}${u.pathname}`;
}
