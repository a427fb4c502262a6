import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** e2e files share one lab and run in file-name order: 01-lab, 02-transport, … */
export class BySequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
  override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    return files;
  }
}
