import { Controller, Get, Headers, Patch, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { validateBody } from '../../../platform/http/validate-body';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { AdministratorGuard } from '../../user-account';
import { ReadSystemSettings } from '../application/read-system-settings/read-system-settings.use-case';
import { UpdateSystemSettings } from '../application/update-system-settings/update-system-settings.use-case';
import { WireBoolean } from '../../../platform/http/wire-boolean';
import { DocumentBody } from '../../../platform/http/document-body';
import { IF_MATCH_HEADER, VERSION_HEADER, versionedReading } from './admin-api-doc';
import { expectedVersionOf, tagged } from './admin-wire';

export class UpdateSystemSettingsRequest {
  @ApiPropertyOptional({ description: 'restrict customer lookups and creation to the entry point\'s department' })
  @IsOptional()
  @WireBoolean()
  @IsBoolean()
  customerDepartmentalization?: boolean;
}

class SettingsView {
  @ApiProperty() customerDepartmentalization: boolean;
  @ApiProperty({ example: 'en', description: 'DEFAULT_LANGUAGE (read-only)' }) defaultLanguage: string;
  @ApiProperty({ type: [String], example: ['de', 'en', 'es', 'fr'], description: 'languages with a catalogue (read-only)' }) supportedLanguages: string[];
}
class SettingsDocument {
  @ApiProperty({ type: SettingsView }) settings: SettingsView;
}

const EXAMPLE = { customerDepartmentalization: false, defaultLanguage: 'en', supportedLanguages: ['de', 'en', 'es', 'fr'] };

@ApiTags('administration')
@Controller('ws/v19/administration/settings')
@UseGuards(AdministratorGuard)
export class SystemSettingsController {
  constructor(private readonly readSettings: ReadSystemSettings, private readonly updateSettings: UpdateSystemSettings) {}

  @Get()
  @ApiEndpoint({ summary: 'Read the system settings', auth: 'administrator', ...versionedReading({ type: SettingsDocument, example: { settings: EXAMPLE } }) })
  async get(@Res({ passthrough: true }) res: Response) {
    return { settings: tagged(res, await this.readSettings.execute()) };
  }

  @Patch()
  @ApiEndpoint({
    summary: 'Change the system settings',
    description: 'Customer departmentalization applies to the next starts (this api process at once, others within CONFIG_CACHE_TTL_MS).',
    auth: 'administrator',
    headers: [IF_MATCH_HEADER],
    body: { type: UpdateSystemSettingsRequest, xmlRoot: 'settings', example: { customerDepartmentalization: true } },
    ok: { type: SettingsDocument, example: { settings: { ...EXAMPLE, customerDepartmentalization: true } }, headers: VERSION_HEADER },
    errors: ['ResourceChanged'],
  })
  async update(@DocumentBody('settings') body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    const request = validateBody(UpdateSystemSettingsRequest, body);
    return { settings: tagged(res, await this.updateSettings.execute(request, expectedVersionOf(ifMatch))) };
  }
}
