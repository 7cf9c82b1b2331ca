import { Injectable } from '@nestjs/common';
import type { EntryPointSettings } from '../../domain/configuration';
import { EntryPointRepository } from '../entry-point.repository';
import type { ListPage, ListPageOf } from '../../domain/list-page';

@Injectable()
export class ListEntryPoints {
  constructor(private readonly entryPoints: EntryPointRepository) {}

  execute(page: ListPage): Promise<ListPageOf<EntryPointSettings>> {
    return this.entryPoints.list(page);
  }
}
