import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** e2e and browser files share one lab and run in file-name order (01-lab, 02-transport, …), whatever their folder. */
export class BySequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => path.basename(a.moduleId).localeCompare(path.basename(b.moduleId)));
  }
  override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    return files;
  }
}
