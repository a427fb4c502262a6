import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root (holds templates/, playbooks/, src/catalogue/), from dist/ or src/. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const templatesDir = path.join(packageRoot, 'templates');
export const playbooksDir = path.join(packageRoot, 'playbooks');
export const catalogueDir = path.join(packageRoot, 'src', 'catalogue');
