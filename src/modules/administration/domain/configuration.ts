import { ALLOWED_ATTRIBUTE_VALUE, type AttributeScope } from '../../../platform/settings/attribute-rules';
import { ConfigurationRuleViolated } from './administration.errors';

/** The configuration an administrator manages, as the administration API shows it. Ids are strings. */

export interface Department {
  id: string;
  name: string;
}

export interface ChatQueue {
  id: string;
  departmentId: string;
  name: string;
  strategy: string;
}

export interface EntryPointSettings {
  id: string;
  departmentId: string;
  queueId: string;
  name: string;
  active: boolean;
  lastModified: Date;
}

export type Availability = 'available' | 'not_available' | 'logged_out';
export const AVAILABILITIES: readonly Availability[] = ['available', 'not_available', 'logged_out'];

export interface AgentAccount {
  id: string;
  username: string;
  displayName: string;
  maxChats: number;
  activeChats: number;
  availability: Availability;
  queueIds: string[];
}

export const CALLBACK_FORMATS = ['json', 'xml'] as const;
export type CallbackFormat = (typeof CALLBACK_FORMATS)[number];

export interface ClientApplicationSettings {
  id: string;
  name: string;
  type: string;
  clientId: string;
  entryPointIds: string[];
  callbackUrl: string | null;
  callbackFormat: CallbackFormat;
  callbackState: 'active' | 'deactivated';
  createdAt: Date;
  /** When the client secret was last set: the creation, then each rotation. */
  secretChangedAt: Date;
  /** When the callback signing secret was last set: the first callback URL, then each rotation; null while there is none. */
  callbackSigningSecretChangedAt: Date | null;
  /**
   * When the callback settings (URL, format, authentication) were last changed; null while they
   * never were. The authentication is not shown here, its secrets never: this date is what puts it
   * in the version.
   */
  callbackChangedAt: Date | null;
}

export const ATTRIBUTE_TYPES = ['string', 'enum'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];
export const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** The start request carries attribute values of at most this many characters. */
export const MAX_ATTRIBUTE_LENGTH = 4000;

export interface AttributeDefinitionSettings {
  id: string;
  scope: AttributeScope;
  name: string;
  type: AttributeType;
  enumValues: string[];
  maxLength: number;
  searchable: boolean;
}

/**
 * Rules across the fields of a definition: an enumeration lists at least one value, each
 * made of allowed characters but U+FFFE and U+FFFF (which no XML document can carry, so an
 * XML client could never send the value, and an XML answer would show U+FFFD) and within the
 * maximum length; a free string lists none;
 * only contact attributes can be searched (starts look customers up on them).
 */
export function checkAttributeDefinition(d: Pick<AttributeDefinitionSettings, 'scope' | 'type' | 'enumValues' | 'maxLength' | 'searchable'>): void {
  if (d.type === 'enum') {
    if (d.enumValues.length === 0) throw new ConfigurationRuleViolated('enumValues', 'an enumerated attribute needs at least one value');
    if (new Set(d.enumValues).size !== d.enumValues.length) throw new ConfigurationRuleViolated('enumValues', 'values must be distinct');
    for (const value of d.enumValues) {
      if (value === '' || !ALLOWED_ATTRIBUTE_VALUE.test(value)) throw new ConfigurationRuleViolated('enumValues', `"${value}" is empty or holds characters that are not allowed`);
      if ([...value].length > d.maxLength) throw new ConfigurationRuleViolated('enumValues', `"${value}" is longer than maxLength ${d.maxLength}`);
    }
  } else if (d.enumValues.length > 0) {
    throw new ConfigurationRuleViolated('enumValues', 'only an enumerated attribute has values');
  }
  if (d.searchable && d.scope !== 'contact') throw new ConfigurationRuleViolated('searchable', 'only contact attributes can be searchable');
}
