import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { EventStoreAdapter } from '@newsroom/event-store';
import { AccessTokens } from './auth/access-tokens';
import { ACCESS_TOKENS, BearerAuthGuard } from './auth/bearer-auth.guard';
import { SessionController } from './auth/session.controller';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { HealthController } from './health/health.controller';
import { IntakeController } from './intake/intake.controller';
import { StoryAppender } from './intake/append/story-appender';
import { IntakeService } from './intake/intake.service';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { LiveModule } from './live/live.module';
import { ReadsModule } from './reads/reads.module';
import { ViewsModule } from './views/views.module';
import type { ViewsOptions } from './views/views.options';

export interface AppModuleOptions {
  /** Connected by whoever starts the app, and closed by them. */
  readonly store: EventStoreAdapter;
  /** Where the intake appends (the app passes its append thread); closed by whoever starts the app. */
  readonly appender: StoryAppender;
  readonly tokens: AccessTokens;
  /** The read side: bounded wait of ?minPosition=, resubscription backoff, live feed. */
  readonly views?: ViewsOptions;
  /** More feature modules (e.g. the read models); they can inject EventStoreAdapter. */
  readonly imports?: ModuleMetadata['imports'];
}

/**
 * The api's wiring. A dynamic module so that the store and the tokens are plain
 * values built outside Nest (explicit over magic): tests and main pass their own.
 */
@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [ViewsModule.register(options.views), ReadsModule, AuditModule, LiveModule, AdminModule, ...(options.imports ?? [])],
      controllers: [HealthController, IntakeController, SessionController],
      providers: [
        { provide: EventStoreAdapter, useValue: options.store },
        { provide: StoryAppender, useValue: options.appender },
        { provide: ACCESS_TOKENS, useValue: options.tokens },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        IntakeService,
      ],
      exports: [EventStoreAdapter, ACCESS_TOKENS],
    };
  }
}
