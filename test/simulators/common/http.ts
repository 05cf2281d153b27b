// The fetch wrapper under both simulators' `call` helpers: a JSON (or raw string) body, and the
// reply with its text and, when it parses, its JSON. Auth headers are each simulator's own.
export interface Reply {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

export async function request(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<Reply> {
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
