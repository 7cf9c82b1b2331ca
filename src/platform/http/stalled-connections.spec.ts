import 'reflect-metadata';
import { MAX_DURATION_MS } from '../config/app-config';
import { stalledConnectionTimeoutMs } from './stalled-connections';

describe('stalledConnectionTimeoutMs', () => {
  it('is twice the longer of the request and headers timeouts', () => {
    expect(stalledConnectionTimeoutMs({ REQUEST_TIMEOUT_MS: 15000, HEADERS_TIMEOUT_MS: 60000 })).toBe(120000);
    expect(stalledConnectionTimeoutMs({ REQUEST_TIMEOUT_MS: 90000, HEADERS_TIMEOUT_MS: 60000 })).toBe(180000);
  });

  it('stays within the longest timer Node runs, which a longer one would turn into 1 ms', () => {
    expect(stalledConnectionTimeoutMs({ REQUEST_TIMEOUT_MS: MAX_DURATION_MS, HEADERS_TIMEOUT_MS: 60000 })).toBe(MAX_DURATION_MS);
  });
});
