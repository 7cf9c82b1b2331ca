import type { AttributeDefinition, AttributeScope } from './attribute-rules';

/** Read access to administrator-managed settings; implemented over MySQL with a short cache. */
export abstract class PlatformSettings {
  abstract attributeDefinition(scope: AttributeScope, name: string): Promise<AttributeDefinition | undefined>;
  abstract customerDepartmentalization(): Promise<boolean>;
  abstract invalidate(): void;
}

export const SETTING_CUSTOMER_DEPARTMENTALIZATION = 'customer_departmentalization';
