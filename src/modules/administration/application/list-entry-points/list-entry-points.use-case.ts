import { Injectable } from '@nestjs/common';
import type { EntryPointSettings } from '../../domain/configuration';
import { EntryPointRepository } from '../entry-point.repository';

@Injectable()
export class ListEntryPoints {
  constructor(private readonly entryPoints: EntryPointRepository) {}

  execute(): Promise<EntryPointSettings[]> {
    return this.entryPoints.list();
  }
}
