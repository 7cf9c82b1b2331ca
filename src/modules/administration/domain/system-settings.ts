/** The platform-wide settings an administrator changes, and the read-only facts shown beside them. */
export interface SystemSettings {
  customerDepartmentalization: boolean;
  defaultLanguage: string;
  supportedLanguages: string[];
}
