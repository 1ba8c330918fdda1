import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { loadPiiKeys, PiiCodec } from './pii';

export const PII_CODEC = Symbol('PII_CODEC');

export const piiCodecProvider: Provider = {
  provide: PII_CODEC,
  inject: [APP_CONFIG],
  useFactory: (cfg: AppConfig) => new PiiCodec(loadPiiKeys(cfg.dataDir)),
};
