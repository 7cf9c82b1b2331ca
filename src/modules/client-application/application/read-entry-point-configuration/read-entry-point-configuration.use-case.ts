import { Injectable } from '@nestjs/common';
import type { ClientApplicationPrincipal, EntryPoint } from '../../domain/client-application';
import { EntryPointNotAllowed, EntryPointNotFound } from '../../domain/client-application.errors';
import { ClientApplicationDirectory } from '../client-application.directory';

/** The configuration of one entry point the calling application may use, with its `lastModified`. */
@Injectable()
export class ReadEntryPointConfiguration {
  constructor(private readonly directory: ClientApplicationDirectory) {}

  async execute(principal: ClientApplicationPrincipal, entryPointId: string): Promise<EntryPoint> {
    const entryPoint = await this.directory.entryPoint(entryPointId);
    if (!entryPoint) throw new EntryPointNotFound(entryPointId, 'entrypoint');
    const application = await this.directory.application(principal.clientApplicationId);
    if (!application?.entryPointIds.has(entryPoint.id)) throw new EntryPointNotAllowed(entryPointId, 'entrypoint');
    return entryPoint;
  }
}
