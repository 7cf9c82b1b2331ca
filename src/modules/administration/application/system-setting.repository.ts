export abstract class SystemSettingRepository {
  /** With `lock`, the rows are locked until the transaction ends, for a change to check the version it was asked on. */
  abstract all(options?: { lock?: boolean }): Promise<Map<string, string>>;
  abstract set(name: string, value: string): Promise<void>;
}
