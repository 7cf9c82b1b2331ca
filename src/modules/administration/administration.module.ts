import { Module } from '@nestjs/common';
import { AgentModule } from '../agent';
import { ClientApplicationModule } from '../client-application';
import { UserAccountModule, UserDirectoryModule } from '../user-account';
import { WebhookModule } from '../webhook';
import { AgentAccountRepository } from './application/agent-account.repository';
import { AttributeDefinitionRepository } from './application/attribute-definition.repository';
import { ChatQueueRepository } from './application/chat-queue.repository';
import { ClientApplicationSettingsRepository } from './application/client-application-settings.repository';
import { ConfigurationCaches } from './application/configuration-caches';
import { ConfigurationChange } from './application/configuration-change';
import { CreateAgent } from './application/create-agent/create-agent.use-case';
import { CreateAttributeDefinition } from './application/create-attribute-definition/create-attribute-definition.use-case';
import { CreateClientApplication } from './application/create-client-application/create-client-application.use-case';
import { CreateDepartment } from './application/create-department/create-department.use-case';
import { CreateEntryPoint } from './application/create-entry-point/create-entry-point.use-case';
import { CreateQueue } from './application/create-queue/create-queue.use-case';
import { DepartmentRepository } from './application/department.repository';
import { EntryPointRepository } from './application/entry-point.repository';
import { GetAgent } from './application/get-agent/get-agent.use-case';
import { GetAttributeDefinition } from './application/get-attribute-definition/get-attribute-definition.use-case';
import { GetClientApplication } from './application/get-client-application/get-client-application.use-case';
import { GetDepartment } from './application/get-department/get-department.use-case';
import { GetEntryPoint } from './application/get-entry-point/get-entry-point.use-case';
import { GetQueue } from './application/get-queue/get-queue.use-case';
import { ListAgents } from './application/list-agents/list-agents.use-case';
import { ListAttributeDefinitions } from './application/list-attribute-definitions/list-attribute-definitions.use-case';
import { ListClientApplications } from './application/list-client-applications/list-client-applications.use-case';
import { ListDepartments } from './application/list-departments/list-departments.use-case';
import { ListEntryPoints } from './application/list-entry-points/list-entry-points.use-case';
import { ListQueues } from './application/list-queues/list-queues.use-case';
import { ChangeApplicationCallback } from './application/change-application-callback/change-application-callback.use-case';
import { ReactivateApplicationCallback } from './application/reactivate-application-callback/reactivate-application-callback.use-case';
import { ReadApplicationCallback } from './application/read-application-callback/read-application-callback.use-case';
import { ReadSystemSettings } from './application/read-system-settings/read-system-settings.use-case';
import { RotateCallbackSigningSecret } from './application/rotate-callback-signing-secret/rotate-callback-signing-secret.use-case';
import { RotateClientSecret } from './application/rotate-client-secret/rotate-client-secret.use-case';
import { SystemSettingRepository } from './application/system-setting.repository';
import { UpdateAgent } from './application/update-agent/update-agent.use-case';
import { UpdateAttributeDefinition } from './application/update-attribute-definition/update-attribute-definition.use-case';
import { UpdateClientApplication } from './application/update-client-application/update-client-application.use-case';
import { UpdateDepartment } from './application/update-department/update-department.use-case';
import { UpdateEntryPoint } from './application/update-entry-point/update-entry-point.use-case';
import { UpdateQueue } from './application/update-queue/update-queue.use-case';
import { UpdateSystemSettings } from './application/update-system-settings/update-system-settings.use-case';
import { InProcessConfigurationCaches } from './infrastructure/in-process-configuration-caches';
import { MysqlAgentAccountRepository } from './infrastructure/mysql-agent-account.repository';
import { MysqlAttributeDefinitionRepository } from './infrastructure/mysql-attribute-definition.repository';
import { MysqlChatQueueRepository } from './infrastructure/mysql-chat-queue.repository';
import { MysqlClientApplicationSettingsRepository } from './infrastructure/mysql-client-application-settings.repository';
import { MysqlDepartmentRepository } from './infrastructure/mysql-department.repository';
import { MysqlEntryPointRepository } from './infrastructure/mysql-entry-point.repository';
import { MysqlSystemSettingRepository } from './infrastructure/mysql-system-setting.repository';
import { AgentController } from './interface/agent.controller';
import { AttributeDefinitionController } from './interface/attribute-definition.controller';
import { ClientApplicationController } from './interface/client-application.controller';
import { DepartmentController } from './interface/department.controller';
import { EntryPointController } from './interface/entry-point.controller';
import { QueueController } from './interface/queue.controller';
import { QueueDashboardAuth } from './interface/queue-dashboard.auth';
import { SystemSettingsController } from './interface/system-settings.controller';

/**
 * The administration API: the configuration of the platform (departments, queues, entry
 * points, agents, client applications, custom attributes, settings) and the queue dashboard.
 * It is the one writer of the configuration tables; the runtime modules read them through
 * their caches, which every change here drops in this process.
 */
@Module({
  imports: [AgentModule, UserAccountModule, UserDirectoryModule, ClientApplicationModule, WebhookModule],
  controllers: [
    DepartmentController,
    QueueController,
    EntryPointController,
    AgentController,
    ClientApplicationController,
    AttributeDefinitionController,
    SystemSettingsController,
  ],
  providers: [
    ConfigurationChange,
    QueueDashboardAuth,
    { provide: ConfigurationCaches, useClass: InProcessConfigurationCaches },
    { provide: DepartmentRepository, useClass: MysqlDepartmentRepository },
    { provide: ChatQueueRepository, useClass: MysqlChatQueueRepository },
    { provide: EntryPointRepository, useClass: MysqlEntryPointRepository },
    { provide: AgentAccountRepository, useClass: MysqlAgentAccountRepository },
    { provide: ClientApplicationSettingsRepository, useClass: MysqlClientApplicationSettingsRepository },
    { provide: AttributeDefinitionRepository, useClass: MysqlAttributeDefinitionRepository },
    { provide: SystemSettingRepository, useClass: MysqlSystemSettingRepository },
    ListDepartments, GetDepartment, CreateDepartment, UpdateDepartment,
    ListQueues, GetQueue, CreateQueue, UpdateQueue,
    ListEntryPoints, GetEntryPoint, CreateEntryPoint, UpdateEntryPoint,
    ListAgents, GetAgent, CreateAgent, UpdateAgent,
    ListClientApplications, GetClientApplication, CreateClientApplication, UpdateClientApplication, RotateClientSecret, RotateCallbackSigningSecret, ChangeApplicationCallback, ReadApplicationCallback, ReactivateApplicationCallback,
    ListAttributeDefinitions, GetAttributeDefinition, CreateAttributeDefinition, UpdateAttributeDefinition,
    ReadSystemSettings, UpdateSystemSettings,
  ],
})
export class AdministrationModule {}
