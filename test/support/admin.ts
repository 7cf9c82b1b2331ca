import { toXml } from '../../src/platform/http/xml-codec';
import { http, type HttpResult } from './client';
import type { Stack } from './stack';

/** The administration API as a test talks to it: JSON by default, XML on request. */

export async function adminLogin(stack: Stack, username = stack.credentials.adminUsername, password = stack.credentials.adminPassword): Promise<string> {
  const res = await http(`${stack.contextUrl}/ws/v19/administration/authentication/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}

export interface AdminCall {
  token?: string;
  body?: Record<string, unknown>;
  /** Send the body as XML with this root element (and ask for XML back). */
  xmlRoot?: string;
  headers?: Record<string, string>;
}

export type AdminApi = (method: string, path: string, call?: AdminCall) => Promise<HttpResult>;

export function adminApi(stack: Stack, token: string): AdminApi {
  return (method, path, call = {}) => {
    const headers: Record<string, string> = { ...call.headers };
    const bearer = call.token ?? token;
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    let body: string | undefined;
    if (call.body && call.xmlRoot) {
      body = toXml(call.xmlRoot, call.body);
      headers['Content-Type'] = 'application/xml';
      headers.Accept = 'application/xml';
    } else if (call.body) {
      body = JSON.stringify(call.body);
      headers['Content-Type'] = 'application/json';
    }
    return http(`${stack.contextUrl}/ws/v19/administration/${path}`, { method, headers, body });
  };
}
