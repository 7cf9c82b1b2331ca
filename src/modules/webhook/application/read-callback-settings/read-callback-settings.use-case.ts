import { Injectable } from '@nestjs/common';
import { CallbackSettingsRepository } from '../callback-settings.repository';
import { ClientApplicationNotFound, callbackView, type CallbackView } from '../callback-view';
import { DeliveryRepository } from '../delivery.repository';

@Injectable()
export class ReadCallbackSettings {
  constructor(private readonly settings: CallbackSettingsRepository, private readonly deliveries: DeliveryRepository) {}

  async execute(clientApplicationId: string): Promise<CallbackView> {
    const settings = await this.settings.find(clientApplicationId);
    if (!settings) throw new ClientApplicationNotFound(clientApplicationId);
    return callbackView(settings, await this.deliveries.counts(clientApplicationId));
  }
}
