import { upstream } from '../errors';

/** Runs one upstream call; any failure becomes a retryable UPSTREAM_UNAVAILABLE naming the service. */
export async function guard<T>(service: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw upstream(service, err);
  }
}
