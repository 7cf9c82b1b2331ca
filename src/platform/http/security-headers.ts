import type { HelmetOptions } from 'helmet';

/** The API answers documents, never pages, so the strictest policy costs clients nothing. */
export const API_HEADER_POLICY: HelmetOptions = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'same-site' },
};

/** The two operator pages (API docs, queue dashboard) run their own scripts and styles. */
export const PAGE_HEADER_POLICY: HelmetOptions = {
  contentSecurityPolicy: {
    directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", "'unsafe-inline'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"] },
  },
};
