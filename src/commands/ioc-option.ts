import { CatalogueLoadError, loadCatalogue } from '../catalogue/load.js';
import type { Catalogue } from '../catalogue/types.js';
import { UsageError } from './common.js';

/** The catalogue with the --ioc files; a malformed one is a usage error (exit 2). */
export function catalogueOf(iocFiles: unknown): Catalogue {
  try {
    return loadCatalogue((iocFiles as string[] | undefined) ?? []);
  } catch (e) {
    if (e instanceof CatalogueLoadError) throw new UsageError(`the IOC catalogue is malformed:\n${e.message}`);
    throw e;
  }
}
