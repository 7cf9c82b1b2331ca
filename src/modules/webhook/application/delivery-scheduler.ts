/** Makes a worker look at an application's pending events (now, or after a delay). */
export abstract class DeliveryScheduler {
  abstract wake(clientApplicationId: string, delayMs: number, reason: string): Promise<void>;
}
