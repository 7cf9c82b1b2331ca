import { Injectable } from '@nestjs/common';
import type { EntryPointSettings } from '../../domain/configuration';
import { EntryPointRepository } from '../entry-point.repository';
import { found } from '../found';

@Injectable()
export class GetEntryPoint {
  constructor(private readonly entryPoints: EntryPointRepository) {}

  async execute(id: string): Promise<EntryPointSettings> {
    return found(await this.entryPoints.byId(id), 'entry point', id);
  }
}
