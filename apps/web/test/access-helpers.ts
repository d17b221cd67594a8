import { randomBytes } from 'node:crypto';
import type { Platform } from './testkit.ts';
import { expect } from 'vitest';

/** A role's API token and a signed-in browser, the two ways to call the API. */
export interface Session {
  cookie: string;
  userId: string;
  workspaceId: string;
}

export async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status} ${response.url}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export function uniqueName(stem: string): string {
  return `${stem}-${randomBytes(4).toString('hex')}`;
}

/** Signs in as a browser would: the session cookie comes back in Set-Cookie. */
export async function signIn(
  platform: Platform,
  email: string,
  password: string,
  { ip = '198.51.100.1' }: { ip?: string } = {},
): Promise<Session> {
  const response = await fetch(`${platform.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: platform.url, 'x-forwarded-for': ip },
    body: JSON.stringify({ email, password }),
  });
  const body = await json<{ user: { id: string }; workspaceId: string }>(response);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  expect(cookie).toMatch(/^flotilla_session=.+/);
  return { cookie, userId: body.user.id, workspaceId: body.workspaceId };
}

/** A request from our own dashboard page: the cookie, and the Origin a browser adds. */
export function browser(
  platform: Platform,
  session: Pick<Session, 'cookie'>,
  pathname: string,
  {
    method = 'GET',
    json: body,
    origin = platform.url,
  }: { method?: string; json?: unknown; origin?: string | null } = {},
): Promise<Response> {
  const headers: Record<string, string> = { cookie: session.cookie };
  if (origin) headers.origin = origin;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${platform.url}/api/v1${pathname}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

export interface CreatedToken {
  id: string;
  token: string;
  prefix: string;
}

export async function createToken(
  platform: Platform,
  session: Pick<Session, 'cookie'>,
  role: 'admin' | 'operator' | 'viewer',
  name = uniqueName(role),
): Promise<CreatedToken> {
  return json<CreatedToken>(
    await browser(platform, session, '/tokens', { method: 'POST', json: { name, role } }),
  );
}

export interface CreatedMember {
  id: string;
  userId: string;
  email: string;
  password: string;
}

export async function addMember(
  platform: Platform,
  adminToken: string,
  role: 'admin' | 'operator' | 'viewer',
  {
    email = `${uniqueName('user')}@example.com`,
    password = randomBytes(12).toString('base64url'),
  } = {},
): Promise<CreatedMember> {
  const member = await json<{ id: string; userId: string }>(
    await platform.api('/api/v1/members', { token: adminToken, json: { email, role, password } }),
  );
  return { ...member, email, password };
}
