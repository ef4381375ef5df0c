import { type DynamicModule, Module } from '@nestjs/common';
import { VIEWS_OPTIONS, type ViewsOptions } from './views.options';
import { ViewsService } from './views.service';

/** The views held in memory and their runner; the read, live, audit and admin modules use it. */
@Module({})
export class ViewsModule {
  static register(options: ViewsOptions = {}): DynamicModule {
    return {
      module: ViewsModule,
      global: true,
      providers: [{ provide: VIEWS_OPTIONS, useValue: options }, ViewsService],
      exports: [ViewsService, VIEWS_OPTIONS],
    };
  }
}
