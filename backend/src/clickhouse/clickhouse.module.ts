import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from './clickhouse.provider';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DataEvents } from '../common/data-events';
import { PII_CODEC, piiCodecProvider } from '../security/pii.provider';

class ClickHouseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}
  // Closing releases the embedded engine's lock on DATA_DIR.
  async onApplicationShutdown(): Promise<void> {
    await this.ch.close();
  }
}

/** Provides the opened ClickHouse handle and the configuration to the whole app. */
@Global()
@Module({})
export class CoreModule {
  static register(cfg: AppConfig, ch: ClickHouseHandle, closeOnShutdown = true): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CLICKHOUSE, useValue: ch },
        { provide: APP_CONFIG, useValue: cfg },
        piiCodecProvider,
        DataEvents,
        ...(closeOnShutdown ? [ClickHouseLifecycle] : []),
      ],
      exports: [CLICKHOUSE, APP_CONFIG, PII_CODEC, DataEvents],
    };
  }
}
