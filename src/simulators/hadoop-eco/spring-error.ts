// Error bodies follow Spring Boot's default shape `{timestamp, status, error, message, path}`: the
// Hadoop Eco error body is undocumented (spec §1.4), but the Spring `Page` envelopes of §2.3 say the
// backend is Spring Boot, and that is its default. Faults that would come from a gateway in front of
// it (429, 502, 503) use other shapes on purpose, so that clients exercise the lenient parsing the
// spec recommends (§1.4); see server.ts.
import { STATUS_CODES } from 'node:http';

export interface SpringError {
  timestamp: string;
  status: number;
  error: string;
  message: string;
  path: string;
}

export function springError(status: number, message: string, path: string, now: number): SpringError {
  return { timestamp: new Date(now).toISOString(), status, error: STATUS_CODES[status] ?? 'Error', message, path };
}
