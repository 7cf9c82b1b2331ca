export abstract class SystemSettingRepository {
  abstract all(): Promise<Map<string, string>>;
  abstract set(name: string, value: string): Promise<void>;
}
