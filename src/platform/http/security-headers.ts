import type { HelmetOptions } from 'helmet';

/** The API answers documents, never pages, so the strictest policy costs clients nothing. */
export const API_HEADER_POLICY: HelmetOptions = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'same-site' },
};

/**
 * The two operator pages (API docs, queue dashboard) run their own scripts and styles.
 * Without helmet's default upgrade-insecure-requests: on a host served over plain HTTP (the
 * compose setup, an internal network) browsers would fetch the pages' files over https and
 * show a blank page; behind TLS it changes nothing, every file being same-origin.
 */
export const PAGE_HEADER_POLICY: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      frameAncestors: ["'none'"],
      upgradeInsecureRequests: null,
    },
  },
};
